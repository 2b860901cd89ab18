import { z } from 'zod';
import type { KeyPath } from '../util/yaml-source.js';
import { AllowList, isLoopbackHost, parseListenAddress } from './net/address.js';

/**
 * The config of the network doors (issue 14): `servers:` (rigctld- and flrig-compatible servers on a
 * backend) and a port's `tcp:` (its CAT on a TCP socket). Kept apart from config.ts, which only plugs
 * these schemas in and calls checkDoors.
 */

/** A listen address by the one rule of net/address.ts, so `check` refuses what start would refuse. */
export const listenAddress = z.string().superRefine((text, ctx) => {
  try {
    parseListenAddress(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const allowList = z.array(z.string()).superRefine((entries, ctx) => {
  try {
    AllowList.parse(entries);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

/** A keyed network client silent this long is unkeyed (its connection stays). */
const pttIdleS = z.number().min(0).max(3600).default(10);

const doorPttSchema = z.strictObject({
  allow: z.boolean().default(true),
  max_seconds: z.number().min(0).max(3600).default(300),
});

export const serverSchema = z.strictObject({
  type: z.enum(['rigctld', 'flrig']),
  listen: listenAddress.optional(),
  backend: z.string().min(1),
  allow: allowList.optional(),
  readonly: z.boolean().default(false),
  ptt: doorPttSchema.default(doorPttSchema.parse({})),
  ptt_idle_s: pttIdleS,
  /**
   * rigctld's `--vfo`: connections start in VFO mode (every rig command takes a VFO first). Hamlib's NET
   * client learns it from `\chk_vfo` and never asks for it itself; `\set_vfo_opt` still switches per
   * connection. rigctld servers only.
   */
  vfo_mode: z.boolean().default(false),
});

/** `tcp: 127.0.0.1:5002` or `tcp: { listen: …, allow: [...], ptt_idle_s: 10 }`. */
export const tcpDoorSchema = z.preprocess(
  // The short form is the long form's listen: one schema, so a bad address is reported on its own key.
  (value) => (typeof value === 'string' ? { listen: value } : value),
  z.strictObject({ listen: listenAddress, allow: allowList.optional(), ptt_idle_s: pttIdleS }),
);

export type ServerType = z.infer<typeof serverSchema>['type'];
export type TcpDoorConfig = z.infer<typeof tcpDoorSchema>;
export type ServerConfig = Omit<z.infer<typeof serverSchema>, 'listen'> & { name: string; listen: string };

const DEFAULT_LISTEN: Record<ServerType, string> = {
  rigctld: '127.0.0.1:4532',
  flrig: '127.0.0.1:12345',
};

interface DoorInput {
  servers: Record<string, z.infer<typeof serverSchema>>;
  ports: Record<string, { backend: string; transport: string; tcp?: TcpDoorConfig | undefined }>;
  backends: Record<string, { address?: string | undefined }>;
  backendAddress(name: string): string | undefined;
  httpListen: string;
}

/**
 * The doors' cross-key rules: a non-loopback listener needs `allow:`, a door may not listen where one
 * of the backends is (catbridge would talk to itself), two listeners may not share an address, and
 * `transport: tcp` needs `tcp:`. Returns the servers with their default listen addresses filled in.
 */
export function checkDoors(
  input: DoorInput,
  problem: (keys: KeyPath, message: string) => void,
): ServerConfig[] {
  const listeners: { listen: string; keys: KeyPath; what: string }[] = [
    { listen: input.httpListen, keys: ['http', 'listen'], what: 'the HTTP server' },
  ];
  const servers: ServerConfig[] = [];
  const doors: { listen: string; allow?: readonly string[] | undefined; keys: KeyPath; what: string }[] = [];
  for (const [name, server] of Object.entries(input.servers)) {
    const listen = server.listen ?? DEFAULT_LISTEN[server.type];
    if (!input.backends[server.backend]) {
      const known = Object.keys(input.backends).join(', ') || 'none';
      problem(['servers', name, 'backend'], `unknown backend "${server.backend}" (configured: ${known})`);
    }
    doors.push({ listen, allow: server.allow, keys: ['servers', name], what: `server "${name}"` });
    servers.push({ ...server, name, listen });
  }
  for (const [name, port] of Object.entries(input.ports)) {
    if (port.transport === 'tcp' && !port.tcp) {
      problem(
        ['ports', name, 'transport'],
        'transport: tcp needs the address to serve on (ports.<name>.tcp)',
      );
    }
    if (port.tcp) {
      doors.push({
        listen: port.tcp.listen,
        allow: port.tcp.allow,
        keys: ['ports', name, 'tcp'],
        what: `the TCP door of port "${name}"`,
      });
    }
  }
  for (const door of doors) {
    const at = safeParse(door.listen);
    if (!at) continue; // the schema already said why
    if (!isLoopbackHost(at.host) && (door.allow === undefined || door.allow.length === 0)) {
      problem(
        door.keys,
        `${door.what} listens on ${door.listen}, not a loopback address: list who may connect (allow: [192.168.1.0/24])`,
      );
    }
    for (const [backend] of Object.entries(input.backends)) {
      const address = input.backendAddress(backend);
      if (address && sameEndpoint(door.listen, address)) {
        problem(
          door.keys,
          `${door.what} would listen on ${door.listen}, where backend "${backend}" is (a loop)`,
        );
      }
    }
    const twin = listeners.find(
      (l) => sameEndpoint(l.listen, door.listen) || sameEndpoint(door.listen, l.listen),
    );
    if (twin && at.port !== 0)
      problem(door.keys, `${door.what} and ${twin.what} both listen on ${door.listen}`);
    listeners.push({ listen: door.listen, keys: door.keys, what: door.what });
  }
  return servers;
}

function safeParse(listen: string): { host: string; port: number } | undefined {
  try {
    return parseListenAddress(listen);
  } catch {
    return undefined;
  }
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** Whether a listener on `listen` would receive connections made to `address` (host:port, maybe a name). */
function sameEndpoint(listen: string, address: string): boolean {
  const at = safeParse(listen);
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  if (!at || !match) return false;
  const host = (match[1] ?? match[2]!).toLowerCase();
  if (Number(match[3]) !== at.port) return false;
  if (host === at.host.toLowerCase() || WILDCARDS.has(at.host)) return true;
  return isLoopbackHost(host) && isLoopbackHost(at.host) && (host === 'localhost' || at.host === 'localhost');
}
