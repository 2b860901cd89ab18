#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { type Logger, pino } from 'pino';
import { type GatewayConfig, loadConfig } from './gateway/config.js';
import { Gateway } from './gateway/gateway.js';
import { HttpServer } from './gateway/http/server.js';
import { hamlibPortType, listProfiles } from './rigs/profiles.js';
import { launchdPlist, type ServiceFormat, serviceFilePath, systemdUnit } from './service/service-files.js';
import { packageRoot, packageVersion } from './util/package-root.js';
import { ConfigError } from './util/yaml-source.js';

/** SIGINT/SIGTERM must leave within 2 s with PTT released and links removed. */
const STOP_DEADLINE_MS = 1800;
/** The HTTP server's share of it: connections are cut, not drained. */
const HTTP_STOP_MS = 300;

/** pino's levels, checked by the CLI so that a typo is a usage error, not a stack trace from pino. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// `catbridge profiles | head -3`: the reader going away is a normal end, not an EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

/** Waits until every log line written so far is out (pino-pretty runs in a worker thread). */
function flushed(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

function makeLogger(level: string): Logger {
  // Pretty for a person at a terminal, JSON lines for everything else (systemd, files, pipes).
  if (process.stderr.isTTY) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'HH:MM:ss.l' } },
    });
  }
  return pino({ level }, pino.destination({ fd: 2, sync: true }));
}

function defaultConfigFile(): string {
  return `${packageRoot()}/config/catbridge.yaml`;
}

function describePorts(config: GatewayConfig): string[] {
  const lines: string[] = [];
  for (const port of config.ports) {
    const backend = config.backends.find((b) => b.name === port.backend)!;
    const p = port.profile;
    lines.push(
      `port ${port.name}: ${port.link}  emulates ${p.name} (profile ${port.rigName})  via ${backend.type === 'sim' ? 'the built-in simulated radio' : `${backend.type} ${backend.address}`}`,
      `    in WSJT-X/fldigi choose rig "${p.hamlib.name}" (Hamlib model ${p.hamlib.model}), serial port ${port.link}, CAT PTT, any baud`,
    );
  }
  return lines;
}

function loadOrExit(file: string): GatewayConfig {
  try {
    return loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`catbridge: invalid config\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function run(configFile: string, logLevel: string): Promise<void> {
  const config = loadOrExit(configFile);
  const logger = makeLogger(logLevel);
  const started = performance.now();
  // Signals are handled from the first moment, not from the ready line on: whoever reads that line may
  // signal at once, before the next statement runs on a busy machine. One that comes while starting
  // stops the gateway as soon as it is up (links removed, PTT released, like any stop).
  let stop: ((reason: string, code: number) => Promise<void>) | null = null;
  let stopWhenUp: { reason: string; code: number } | null = null;
  const requestStop = (reason: string, code: number) => {
    if (stop) {
      void stop(reason, code);
      return;
    }
    if (stopWhenUp) return;
    stopWhenUp = { reason, code };
    // A start that does not finish in time is not waited for.
    setTimeout(() => process.exit(code || 1), STOP_DEADLINE_MS + 150).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => requestStop(signal, 0));
  }
  let gateway: Gateway;
  let http: HttpServer;
  try {
    gateway = await Gateway.start(config, logger);
    try {
      http = await HttpServer.start(gateway, config.http, logger);
    } catch (err) {
      await gateway.stop(STOP_DEADLINE_MS);
      throw new Error(`cannot serve HTTP on ${config.http.listen}: ${(err as Error).message}`);
    }
  } catch (err) {
    // The reason it did not start is the last thing a user sees, after every log line of the attempt.
    await flushed(logger);
    throw err;
  }
  let stopping = false;
  stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    const hardStop = setTimeout(() => process.exit(code || 1), STOP_DEADLINE_MS + 150);
    hardStop.unref();
    // The unkey goes first, not after the HTTP server has said goodbye to its websockets.
    for (const rig of gateway.rigs.values()) void rig.releasePtt(`catbridge is stopping (${reason})`);
    await Promise.race([http.close(), new Promise((resolve) => setTimeout(resolve, HTTP_STOP_MS))]);
    await gateway.stop(STOP_DEADLINE_MS - HTTP_STOP_MS);
    await flushed(logger);
    process.stdout.write(`catbridge stopped (${reason})\n`);
    process.exit(code);
  };
  // A bug must not leave a transmitter keyed: unkey and remove links on the way down.
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void stop?.('crash', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    void stop?.('crash', 1);
  });
  const early = stopWhenUp as { reason: string; code: number } | null;
  if (early) {
    void stop(early.reason, early.code);
    return;
  }
  // One write, so whoever waits for the ready line has the port lines too.
  const ready = `catbridge ready in ${(performance.now() - started).toFixed(0)} ms (config ${config.file})`;
  const dashboard = `dashboard and API at ${http.url}/${config.http.token ? ' (token required)' : ''}`;
  process.stdout.write(`${[ready, dashboard, ...describePorts(config)].join('\n')}\n`);
  if (process.env.CATBRIDGE_FAULT_INJECTION === '1') {
    // For the test that proves the crash path unkeys: SIGUSR2 throws from the event loop.
    process.on('SIGUSR2', () =>
      setImmediate(() => {
        throw new Error('injected fault (CATBRIDGE_FAULT_INJECTION)');
      }),
    );
  }
}

const program = new Command()
  .name('catbridge')
  // `catbridge check --config FILE`: options after a subcommand belong to the subcommand.
  .enablePositionalOptions()
  .description(
    'Virtual serial ports that behave like real radios, backed by Hamlib rigctld, flrig or the built-in simulated radio',
  )
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .option('-c, --config <file>', 'gateway config (YAML)', defaultConfigFile())
  .addOption(
    new Option('-l, --log-level <level>', 'how much to log on stderr').choices(LOG_LEVELS).default('info'),
  )
  .action(async (opts: { config: string; logLevel: string }) => run(opts.config, opts.logLevel));

program
  .command('check')
  .description('validate a config and print what would start')
  .option('-c, --config <file>', 'gateway config (YAML); also `catbridge --config FILE check`')
  .action((opts: { config?: string }) => {
    // The option may come before the subcommand too, where it belongs to the program.
    const config = loadOrExit(opts.config ?? (program.opts() as { config: string }).config);
    process.stdout.write(`${config.file}: OK\n`);
    for (const b of config.backends) {
      process.stdout.write(
        `backend ${b.name}: ${b.type} ${b.address} (poll ${b.poll_ms} ms, settle ${b.settle_ms} ms, grace ${b.grace_ms} ms)\n`,
      );
    }
    for (const line of describePorts(config)) process.stdout.write(`${line}\n`);
  });

program
  .command('service')
  .description('write a user service (systemd unit on Linux, launchd agent on macOS) running this config')
  .option('-c, --config <file>', 'gateway config (YAML); also `catbridge --config FILE service`')
  .addOption(
    new Option('--format <format>', 'which service manager')
      .choices(['systemd', 'launchd'])
      .default(process.platform === 'darwin' ? 'launchd' : 'systemd'),
  )
  .option('--stdout', 'print the file instead of writing it')
  .action((opts: { config?: string; format: ServiceFormat; stdout?: boolean }) => {
    const global = program.opts() as { config: string; logLevel: string };
    // A service that would only fail at every start is refused now, with the reasons.
    const config = loadOrExit(opts.config ?? global.config);
    const spec = {
      node: process.execPath,
      cli: fileURLToPath(import.meta.url),
      config: config.file,
      logLevel: global.logLevel,
    };
    const text = opts.format === 'systemd' ? systemdUnit(spec) : launchdPlist(spec);
    if (opts.stdout) {
      process.stdout.write(text);
      return;
    }
    const file = serviceFilePath(opts.format);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    const next =
      opts.format === 'systemd'
        ? [
            'systemctl --user daemon-reload && systemctl --user enable --now catbridge',
            'journalctl --user -u catbridge -f    # its log',
            'loginctl enable-linger "$USER"       # to run at boot, without a login',
          ]
        : [`launchctl bootstrap gui/$(id -u) ${file}`, 'tail -f ~/Library/Logs/catbridge.log    # its log'];
    process.stdout.write(`wrote ${file}\nthen:\n${next.map((line) => `  ${line}`).join('\n')}\n`);
  });

program
  .command('profiles')
  .description('list the emulated radio models and what a client should choose for each')
  .action(() => {
    const rows = listProfiles().map((p) => [
      p.key,
      p.name,
      `${p.hamlib.name} (Hamlib ${p.hamlib.model})`,
      hamlibPortType(p) === 'network' ? 'network: CAT over TCP' : 'serial port',
    ]);
    const header = ['profile', 'emulates', 'choose in WSJT-X / fldigi', 'Hamlib opens it as'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) {
      process.stdout.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
      );
    }
  });

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`catbridge: ${err.message}\n`);
  process.exit(1);
});
