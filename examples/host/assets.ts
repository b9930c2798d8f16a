// Pictures this demo app serves for itself, so the dashboard has a logo and an avatar to show
// without reaching the internet: point the program's logo at /assets/logo.svg.
export const ASSETS: Record<string, string> = {
  '/assets/logo.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="9" fill="#0f766e"/><path d="M20 7 31 31h-5l-2.4-5.5h-7.2L14 31H9Zm0 8.5-2.3 6h4.6Z" fill="#fff"/></svg>`,
  '/assets/avatar.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" fill="#f59e0b"/><circle cx="24" cy="19" r="8" fill="#fff7ed"/><path d="M8 46c2-10 9-14 16-14s14 4 16 14Z" fill="#fff7ed"/></svg>`,
}
