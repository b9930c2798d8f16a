// The program's website with its referral parameter set to the tracking id. Built with the URL
// API so that an existing query string and fragment survive untouched; only a parameter of the
// same name is replaced.
export function referralLink(websiteUrl: string, param: string, trackingId: string): string {
  const url = new URL(websiteUrl)
  if (url.searchParams.has(param)) {
    url.searchParams.set(param, trackingId)
  } else {
    const pair = `${encodeURIComponent(param)}=${encodeURIComponent(trackingId)}`
    url.search = url.search.length > 1 ? `${url.search}&${pair}` : pair
  }
  return url.toString()
}
