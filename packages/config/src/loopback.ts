/**
 * Loopback is the one place plain HTTP and token-less listeners are allowed: only this machine can reach it.
 * Names, not resolution: `localhost` counts, any other name is treated as a network address.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** True when a URL's scheme is https, or it is http to a loopback host. */
export function isHttpsOrLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
}
