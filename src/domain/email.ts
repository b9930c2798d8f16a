import * as z from 'zod/mini'

// One definition of an email address, for the API and the operator's CLI alike, so an
// invitation can only be stored in a form a token request can match: trimmed, the domain in its
// ASCII form (`bücher.de` → `xn--bcher-kva.de`, as the DNS knows it), then checked against
// zod's address rule (ASCII local part, no trailing dot, a real top-level domain) and stored
// lower-case. Full-width letters, a dotted capital I and other look-alikes are refused rather
// than folded into some other address.
export const MAX_EMAIL_LENGTH = 254

function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@')
  if (at < 1) return address
  const domain = address.slice(at + 1)
  // ASCII already (or empty): nothing to convert; the rule below judges it.
  if (!/[^ -~]/.test(domain)) return address
  try {
    const hostname = new URL(`http://${domain}/`).hostname
    // The URL parser maps full-width and other compatibility forms to ASCII too; only a domain
    // written in real international letters may change, and it must come out as punycode.
    if (!hostname.split('.').some((label) => label.startsWith('xn--'))) return address
    return `${address.slice(0, at)}@${hostname}`
  } catch {
    return address
  }
}

export const emailAddress = z
  .string({
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a valid email address'),
  })
  .check(
    z.trim(),
    z.overwrite(asciiDomain),
    z.maxLength(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`),
    z.email({ error: 'must be a valid email address' }),
    z.toLowerCase()
  )

// The address as stored and matched, or undefined when it is not one.
export function normalizeEmail(text: string): string | undefined {
  const parsed = z.safeParse(emailAddress, text)
  return parsed.success ? parsed.data : undefined
}
