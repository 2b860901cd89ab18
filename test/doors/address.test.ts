/**
 * The one address parser and loopback rule (issue 14 "Security", issue 17): what `catbridge check`
 * accepts is exactly what start listens on.
 */
import { describe, expect, it } from 'vitest';
import { AllowList, isLoopbackHost, parseListenAddress } from '../../src/gateway/net/address.js';

describe('parseListenAddress', () => {
  it('takes IPv4, bracketed IPv6 and localhost with a port', () => {
    expect(parseListenAddress('127.0.0.1:4532')).toEqual({ host: '127.0.0.1', port: 4532 });
    expect(parseListenAddress('[::1]:4532')).toEqual({ host: '::1', port: 4532 });
    expect(parseListenAddress('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseListenAddress('LOCALHOST:80')).toEqual({ host: 'localhost', port: 80 });
  });

  it('refuses shorthand IPv4 and host names, which resolve differently at start (issue 17)', () => {
    expect(() => parseListenAddress('127.1:4532')).toThrow(/IP address or localhost, not "127.1"/);
    expect(() => parseListenAddress('127.0.0.1.nip.io:4532')).toThrow(/not "127.0.0.1.nip.io"/);
    expect(() => parseListenAddress('shack-pi:4532')).toThrow(/host name/);
  });

  it('refuses what is not host:port', () => {
    expect(() => parseListenAddress('127.0.0.1')).toThrow(/not host:port/);
    expect(() => parseListenAddress('::1:4532')).toThrow(/not host:port/);
    expect(() => parseListenAddress('[1.2.3.4]:4532')).toThrow(/not an IPv6 address/);
    expect(() => parseListenAddress('127.0.0.1:65536')).toThrow(/above 65535/);
  });
});

describe('isLoopbackHost', () => {
  it('is 127.0.0.0/8, ::1, their mapped forms and localhost', () => {
    for (const host of ['127.0.0.1', '127.255.0.9', '::1', '[::1]', '::ffff:127.0.0.2', 'localhost']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('is nothing else: wildcards, LAN addresses, shorthand and names', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.2',
      '127.1',
      '127.0.0.1.nip.io',
      '::ffff:10.0.0.1',
      'fe80::1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('AllowList', () => {
  it('takes addresses and networks, IPv4 and IPv6, and matches mapped IPv4', () => {
    const allow = AllowList.parse(['192.168.1.0/24', '10.0.0.7', 'fd00::/8', '127.0.0.2/32']);
    expect(allow.allows('192.168.1.77')).toBe(true);
    expect(allow.allows('::ffff:192.168.1.77')).toBe(true);
    expect(allow.allows('192.168.2.1')).toBe(false);
    expect(allow.allows('10.0.0.7')).toBe(true);
    expect(allow.allows('10.0.0.8')).toBe(false);
    expect(allow.allows('fd12::5')).toBe(true);
    expect(allow.allows('fe80::1')).toBe(false);
    expect(allow.allows('127.0.0.2')).toBe(true);
    // Only what is listed: loopback is not implied once a list is given.
    expect(allow.allows('127.0.0.3')).toBe(false);
    expect(allow.allows(undefined)).toBe(false);
  });

  it('names the entry that is not an address or a network', () => {
    expect(() => AllowList.parse(['192.168.1.0/33'])).toThrow(
      /"192.168.1.0\/33" has a prefix length outside 0..32/,
    );
    expect(() => AllowList.parse(['lan'])).toThrow(/"lan" is not an IP address/);
    expect(() => AllowList.parse(['10.0.0.0/8/1'])).toThrow(/not an IP address/);
  });
});
