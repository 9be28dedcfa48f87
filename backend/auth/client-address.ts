import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/**
 * Parses a comma-separated list of proxies whose X-Forwarded-For is believed: IP addresses or
 * CIDR ranges (`127.0.0.1`, `10.0.0.0/16`, `::1`). Throws naming the first entry that is neither.
 */
export function parseTrustedProxies(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!ipaddr.isValid(entry) && !ipaddr.isValidCIDR(entry)) throw new Error(`"${entry}" is not an IP address or CIDR range`);
  }
  return entries;
}

/**
 * Returns a function giving a request's client address: the socket's peer, unless that peer is
 * a trusted proxy; then X-Forwarded-For is walked from the right past trusted proxies, and the
 * first address no trusted proxy vouches for is the client (proxy-addr, as Express does). Entries
 * further left were written by the client and are never believed. With no trusted proxies the
 * header is ignored entirely: anyone can send one.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): (request: IncomingMessage) => string {
  const trust = proxyAddr.compile([...trustedProxies]);
  return (request) => proxyAddr(request, trust);
}

/**
 * The key address-based limits count under: an IPv4 address as is (also when it arrives
 * IPv4-mapped, `::ffff:a.b.c.d`), an IPv6 address by its /64 network, since one subscriber or
 * host is routinely given a whole /64 and could otherwise take a new address per request.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts;
  return `${new ipaddr.IPv6([...parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
