import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { loadProfile, type Profile } from '../rigs/profiles.js';
import { ConfigError, type KeyPath, YamlSource } from '../util/yaml-source.js';
import { checkDoors, listenAddress, type ServerConfig, serverSchema, tcpDoorSchema } from './doors-config.js';
import { isLoopbackHost, parseListenAddress } from './net/address.js';
import { defaultLinkPath, expandHome } from './ports/link-path.js';

/**
 * The gateway config (DESIGN.md "Gateway config"): every key is listed here, so unknown keys are
 * errors; later issues extend this schema rather than loosening it.
 */

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:4532');
const positiveMs = (fallback: number) => z.number().int().min(0).max(600_000).default(fallback);

const backendSchema = z.strictObject({
  type: z.enum(['rigctld', 'flrig', 'sim']),
  address: hostPort.optional(),
  poll_ms: positiveMs(250),
  grace_ms: positiveMs(2000),
  settle_ms: positiveMs(150),
});

const pttSchema = z.strictObject({
  allow: z.boolean().default(true),
  max_seconds: z.number().min(0).max(3600).default(300),
  release_on_close: z.boolean().default(true),
  foreign_off: z.boolean().default(false),
  line: z.enum(['none', 'rts', 'dtr']).default('none'),
});

const portSchema = z.strictObject({
  rig: z.string().min(1),
  backend: z.string().min(1),
  link: z.string().min(1).optional(),
  transport: z.enum(['pty', 'dext', 'tcp']).default('pty'),
  tcp: tcpDoorSchema.optional(),
  readonly: z.boolean().default(false),
  civ_address: z.number().int().min(0).max(0xff).optional(),
  echo: z.boolean().default(false),
  transceive: z.boolean().default(false),
  auto_info: z.boolean().default(false),
  ptt: pttSchema.default(pttSchema.parse({})),
});

const portName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'port names are letters, digits, _ . -');

const configSchema = z.strictObject({
  http: z
    .strictObject({
      listen: listenAddress.default('127.0.0.1:4580'),
      token: z.string().min(8).optional(),
    })
    .default({ listen: '127.0.0.1:4580' }),
  backends: z.record(portName, backendSchema),
  ports: z.record(portName, portSchema),
  servers: z.record(portName, serverSchema).default({}),
});

type RawConfig = z.infer<typeof configSchema>;
export type BackendConfig = z.infer<typeof backendSchema> & { name: string; address: string };
export type PortConfig = Omit<z.infer<typeof portSchema>, 'rig' | 'link'> & {
  name: string;
  /** The profile name as written in the config ("ts2000"). */
  rigName: string;
  profile: Profile;
  link: string;
};
export interface GatewayConfig {
  file: string;
  http: RawConfig['http'];
  backends: BackendConfig[];
  ports: PortConfig[];
  /** The network doors on backends (issue 14). */
  servers: ServerConfig[];
}

const DEFAULT_ADDRESS: Record<BackendConfig['type'], string> = {
  rigctld: '127.0.0.1:4532',
  flrig: '127.0.0.1:12345',
  sim: 'sim',
};

/**
 * Loads and validates a config file. Throws ConfigError listing every problem, each naming the file,
 * line, column and key; nothing is started from a config with any problem.
 */
export function loadConfig(file: string): GatewayConfig {
  const path = resolve(file);
  const source = YamlSource.fromFile(path);
  const raw = source.parse(configSchema);
  const problems: string[] = [];
  const problem = (keys: KeyPath, message: string) => problems.push(source.problem(keys, message));

  if (!isLoopbackHost(parseListenAddress(raw.http.listen).host) && !raw.http.token) {
    problem(['http', 'listen'], 'a token is required when listening on a non-loopback address (http.token)');
  }
  if (Object.keys(raw.ports).length === 0) problem(['ports'], 'no ports configured');

  const backends: BackendConfig[] = Object.entries(raw.backends).map(([name, b]) => ({
    ...b,
    name,
    address: b.address ?? DEFAULT_ADDRESS[b.type],
  }));

  const ports: PortConfig[] = [];
  const links = new Map<string, string>();
  for (const [name, p] of Object.entries(raw.ports)) {
    if (!raw.backends[p.backend]) {
      const known = Object.keys(raw.backends).join(', ') || 'none';
      problem(['ports', name, 'backend'], `unknown backend "${p.backend}" (configured: ${known})`);
    }
    if (p.transport === 'dext' && process.platform !== 'darwin') {
      problem(['ports', name, 'transport'], 'the dext transport exists only on macOS; use pty');
    }
    if (p.ptt.line !== 'none' && p.transport !== 'dext') {
      problem(['ports', name, 'ptt', 'line'], 'a pty has no modem lines; RTS/DTR PTT needs transport: dext');
    }
    let profile: Profile | undefined;
    try {
      const rigPath = p.rig.includes('/') || p.rig.endsWith('.yaml') ? resolveRelative(path, p.rig) : p.rig;
      profile = loadProfile(rigPath);
    } catch (err) {
      const detail = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
      problem(['ports', name, 'rig'], `cannot load rig profile "${p.rig}": ${detail}`);
    }
    if (p.civ_address !== undefined && profile && (profile.family as string) !== 'icom') {
      problem(['ports', name, 'civ_address'], `civ_address applies to Icom profiles, not ${profile.family}`);
    }
    const link = p.link ? resolveRelative(path, expandHome(p.link)) : defaultLinkPath(name);
    const twin = links.get(link);
    if (twin) problem(['ports', name, 'link'], `link ${link} is also used by port "${twin}"`);
    links.set(link, name);
    if (profile) {
      const { rig, link: _link, ...rest } = p;
      ports.push({ ...rest, name, rigName: rig, profile, link });
    }
  }
  const servers = checkDoors(
    {
      servers: raw.servers,
      ports: raw.ports,
      backends: raw.backends,
      backendAddress: (name) => backends.find((b) => b.name === name)?.address,
      httpListen: raw.http.listen,
    },
    problem,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return { file: path, http: raw.http, backends, ports, servers };
}

function resolveRelative(configFile: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dirname(configFile), p);
}

/** The config shipped with the package: the built-in simulated radio and one TS-2000 port. */
export function defaultConfigPath(packageRoot: string): string {
  const path = resolve(packageRoot, 'config', 'catbridge.yaml');
  if (!existsSync(path)) throw new ConfigError([`${path}: the default config is missing from the package`]);
  return path;
}
