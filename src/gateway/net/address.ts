import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * The one address parser and loopback rule for every listener catbridge opens: the HTTP server and
 * the network doors (issue 14 "Security"). `catbridge check` and start-up both go through here, so an
 * address that passes the check is the address that is listened on (issue 17: `127.1` and
 * `127.0.0.1.nip.io` used to pass the check's regex and then fail, or resolve elsewhere, at start).
 */

export interface ListenAddress {
  /** An IP literal (no brackets) or `localhost`. */
  host: string;
  port: number;
}

/**
 * `127.0.0.1:4532`, `[::1]:4532`, `0.0.0.0:4532`, `localhost:4532` → host and port. A listen host must
 * be an IP literal in its full form or `localhost`: a DNS name can resolve to anything at start (and
 * differently later), and shorthand like `127.1` is read differently by different parsers. Port 0
 * (pick a free port) is accepted: tests use it.
 */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  if (!match) throw new Error(`"${text}" is not host:port (e.g. 127.0.0.1:4532 or [::1]:4532)`);
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port > 65535) throw new Error(`port ${port} of "${text}" is above 65535`);
  if (match[1] !== undefined && isIP(host) !== 6) throw new Error(`"${host}" is not an IPv6 address`);
  if (host.toLowerCase() !== 'localhost' && isIP(host) === 0) {
    throw new Error(
      `listen on an IP address or localhost, not "${host}" (a host name may resolve anywhere; write 127.0.0.1 in full)`,
    );
  }
  return { host: host.toLowerCase() === 'localhost' ? 'localhost' : host, port };
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether a host (an IP literal, `[v6]`, or `localhost`) is a loopback address: 127.0.0.0/8, ::1, and
 * IPv4-mapped 127/8 as a dual-stack socket reports it. Anything else, host names included, is not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = unmapped(host.replace(/^\[|\]$/g, '').toLowerCase());
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  if (family === 0) return false;
  return LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** `::ffff:127.0.0.2` (a v4 client on a dual-stack listener) → `127.0.0.2`. */
function unmapped(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return v4 && isIPv4(v4) ? v4 : address;
}

/**
 * The addresses and networks a door accepts connections from (`allow:` in the config): `10.0.0.7`,
 * `192.168.1.0/24`, `fd00::/8`, `::1`. Only what is listed: a door with `allow:` that should also take
 * this machine's programs lists 127.0.0.1 (the LAN test binds 127.0.0.2 and 127.0.0.3 to tell them apart).
 */
export class AllowList {
  private constructor(
    private readonly list: BlockList,
    /** The entries as written, for logs and the REST API. */
    readonly entries: readonly string[],
  ) {}

  /** Throws with a plain message naming the first entry that is not an address or a network. */
  static parse(entries: readonly string[]): AllowList {
    const list = new BlockList();
    for (const entry of entries) {
      const [address, prefixText, extra] = entry.trim().split('/');
      const family = isIP(address ?? '');
      if (extra !== undefined || family === 0) {
        throw new Error(`"${entry}" is not an IP address or a network (e.g. 192.168.1.0/24, fd00::/8)`);
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefixText === undefined) {
        list.addAddress(address!, type);
        continue;
      }
      const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
      if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) {
        throw new Error(`"${entry}" has a prefix length outside 0..${family === 4 ? 32 : 128}`);
      }
      list.addSubnet(address!, prefix, type);
    }
    return new AllowList(list, entries);
  }

  /** Whether a connection from `remote` (a socket's remoteAddress) may stay. */
  allows(remote: string | undefined): boolean {
    if (remote === undefined) return false;
    const bare = unmapped(remote.toLowerCase());
    const family = isIP(bare);
    if (family === 0) return false;
    return this.list.check(bare, family === 4 ? 'ipv4' : 'ipv6');
  }
}
