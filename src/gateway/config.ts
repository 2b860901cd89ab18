import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { loadProfile, type Profile } from '../rigs/profiles.js';
import { didYouMean } from '../util/schema-issues.js';
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

const httpSchema = z
  .strictObject({
    listen: listenAddress.default('127.0.0.1:4580'),
    token: z.string().min(8).optional(),
  })
  .default({ listen: '127.0.0.1:4580' });

const configSchema = z.strictObject({
  http: httpSchema,
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
  if (source.value() == null) {
    throw new ConfigError([
      source.problem(
        [],
        'the file is empty; a config needs backends: and ports: (see config/catbridge.yaml)',
      ),
    ]);
  }
  const checked = source.check(configSchema);
  const problems: string[] = [...checked.problems];
  const problem = (keys: KeyPath, message: string) => problems.push(source.problem(keys, message));
  // All problems in one pass: with schema problems, the checks below still run on the parts that are valid.
  const written = asMap(source.value());
  const raw = checked.data ?? salvage(written);
  const backendNames = Object.keys(asMap(written.backends));

  if (!isLoopbackHost(parseListenAddress(raw.http.listen).host) && !raw.http.token) {
    problem(['http', 'listen'], 'a token is required when listening on a non-loopback address (http.token)');
  }
  if (written.ports !== undefined && Object.keys(asMap(written.ports)).length === 0) {
    problem(['ports'], 'no ports configured');
  }

  const backends: BackendConfig[] = Object.entries(raw.backends).map(([name, b]) => ({
    ...b,
    name,
    address: b.address ?? DEFAULT_ADDRESS[b.type],
  }));

  const ports: PortConfig[] = [];
  const links = new Map<string, string>();
  for (const [name, entry] of Object.entries(asMap(written.ports))) {
    // A port with schema problems still has its backend and profile checked, when they are text.
    const { backend: backendName, rig: rigName } = asMap(entry);
    if (typeof backendName === 'string' && !backendNames.includes(backendName)) {
      const guess = didYouMean(backendName, backendNames);
      const known = guess ? `did you mean "${guess}"?` : `configured: ${backendNames.join(', ') || 'none'}`;
      problem(['ports', name, 'backend'], `unknown backend "${backendName}"; ${known}`);
    }
    let profile: Profile | undefined;
    if (typeof rigName === 'string' && rigName.length > 0) {
      try {
        const rigPath =
          rigName.includes('/') || rigName.endsWith('.yaml') ? resolveRelative(path, rigName) : rigName;
        profile = loadProfile(rigPath);
      } catch (err) {
        const detail = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
        problem(['ports', name, 'rig'], `cannot load rig profile "${rigName}": ${detail}`);
      }
    }
    const p = raw.ports[name];
    if (!p) continue;
    if (p.transport === 'dext' && process.platform !== 'darwin') {
      problem(['ports', name, 'transport'], 'the dext transport exists only on macOS; use pty');
    }
    if (p.ptt.line !== 'none' && p.transport !== 'dext') {
      problem(['ports', name, 'ptt', 'line'], 'a pty has no modem lines; RTS/DTR PTT needs transport: dext');
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
  if (problems.length > 0) throw new ConfigError(inFileOrder(problems));
  return { file: path, http: raw.http, backends, ports, servers };
}

/** Problems sorted by line and column, as a user reads and fixes the file. */
function inFileOrder(problems: string[]): string[] {
  const position = (problem: string) => {
    const match = /:(\d+):(\d+): /.exec(problem);
    return match ? Number(match[1]) * 10_000 + Number(match[2]) : 0;
  };
  return [...problems].sort((a, b) => position(a) - position(b));
}

function asMap(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The entries of a map that are valid on their own. */
function validEntries<T>(map: unknown, schema: z.ZodType<T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(asMap(map)).flatMap(([name, entry]) => {
      const result = schema.safeParse(entry);
      return result.success ? [[name, result.data] as const] : [];
    }),
  );
}

/** The valid parts of a config that has schema problems, so that its other problems are found too. */
function salvage(written: Record<string, unknown>): RawConfig {
  return {
    http: httpSchema.safeParse(written.http).data ?? { listen: '127.0.0.1:4580' },
    backends: validEntries(written.backends, backendSchema),
    ports: validEntries(written.ports, portSchema),
    servers: validEntries(written.servers, serverSchema),
  };
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
