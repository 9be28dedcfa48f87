import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddressResolver, parseTrustedProxies } from './client-address';

/** The two things proxy-addr reads from a request: the peer address and X-Forwarded-For. */
const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('parseTrustedProxies', () => {
  it('reads comma-separated addresses and CIDR ranges of both families', () => {
    expect(parseTrustedProxies(' 127.0.0.1, 10.0.0.0/16 ,::1,fd00::/8, ')).toEqual(['127.0.0.1', '10.0.0.0/16', '::1', 'fd00::/8']);
  });

  it('trusts nobody when unset or empty', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies('')).toEqual([]);
  });

  it('names the entry that is neither an address nor a range', () => {
    expect(() => parseTrustedProxies('127.0.0.1, true')).toThrow('"true" is not an IP address or CIDR range');
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseTrustedProxies('nginx.internal')).toThrow(/nginx\.internal/);
  });
});

describe('clientAddressResolver', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    const resolve = clientAddressResolver([]);
    expect(resolve(request('198.51.100.7', '203.0.113.1'))).toBe('198.51.100.7');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const resolve = clientAddressResolver(['127.0.0.1']);
    expect(resolve(request('127.0.0.9', '203.0.113.1'))).toBe('127.0.0.9');
  });

  it('takes the address the trusted proxy saw, not what the client wrote before it', () => {
    const resolve = clientAddressResolver(['127.0.0.1']);
    expect(resolve(request('127.0.0.1', '203.0.113.1'))).toBe('203.0.113.1');
    expect(resolve(request('127.0.0.1', '6.6.6.6, 203.0.113.1'))).toBe('203.0.113.1');
  });

  it('walks past every trusted hop, by address or range', () => {
    const resolve = clientAddressResolver(['127.0.0.1', '10.0.0.0/16']);
    expect(resolve(request('127.0.0.1', '6.6.6.6, 198.51.100.4, 10.0.3.2'))).toBe('198.51.100.4');
  });

  it('falls back to the proxy itself when it forwarded nothing', () => {
    expect(clientAddressResolver(['127.0.0.1'])(request('127.0.0.1'))).toBe('127.0.0.1');
  });
});

describe('addressKey', () => {
  it('keeps an IPv4 address whole, also when IPv4-mapped', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('keys an IPv6 address by its /64, so one subscriber gets one budget', () => {
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressKey('::1')).toBe('::/64');
  });

  it('puts whatever is not an address in one shared bucket', () => {
    expect(addressKey('')).toBe('unknown');
    expect(addressKey('not an address')).toBe('unknown');
  });
});
