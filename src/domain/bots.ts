// Crawlers and link-preview fetchers that open referral links get a click id like anyone (a
// preview must not break), but their clicks are not counted. One case-insensitive regex, tried
// once per click, covers the well-known ones. Facebook's and Instagram's in-app browsers (FBAN,
// FBAV, FB_IAB, Instagram) are people, and match none of it.
const BOT_TOKENS = [
  // What almost every crawler calls itself: Googlebot, bingbot, Slackbot, Twitterbot,
  // LinkedInBot, Discordbot, TelegramBot, Applebot, DuckDuckBot, YandexBot, AhrefsBot,
  // SemrushBot, Baiduspider, Yahoo! Slurp… except the CUBOT phones, whose owners are people.
  '(?<!cu)bot',
  'crawl',
  'spider',
  'slurp',
  // Preview fetchers that do not say bot.
  'facebookexternalhit',
  'meta-externalagent',
  'whatsapp',
  'embedly',
  'iframely',
  '(?:bing|skypeuri|web )preview',
  // Automation.
  'headless',
  'phantomjs',
  'lighthouse',
  // HTTP libraries and command-line tools, which nobody browses with.
  'curl/',
  'wget/',
  'python-(?:requests|urllib)',
  'go-http-client',
  'okhttp',
  'axios/',
  'node-fetch',
  'undici',
  'libwww-perl',
  'httpie',
  'java/',
  // The crawlers' convention of a contact address: `(compatible; X/1.0; +http://…)`.
  '\\+https?://',
]
const BOT_USER_AGENT = new RegExp(BOT_TOKENS.join('|'), 'i')

// An absent or blank user agent is a script, not a browser.
export function isBot(userAgent: string | undefined): boolean {
  if (userAgent === undefined || userAgent.trim() === '') return true
  return BOT_USER_AGENT.test(userAgent)
}
