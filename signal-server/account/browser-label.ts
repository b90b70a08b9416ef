import Bowser from 'bowser';

/**
 * A person's name for the browser and system of a `User-Agent` (RFC 9110
 * §10.1.5), read by the maintained `bowser` parser: e.g. "Chrome 131 on
 * Android"; null when it names no browser.
 */
export function browserLabel(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name) return null;
  const major = browser.version?.split('.')[0];
  const name = major ? `${browser.name} ${major}` : browser.name;
  return os.name ? `${name} on ${os.name}` : name;
}
