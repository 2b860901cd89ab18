import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/gateway/config.js';
import { Gateway } from '../../src/gateway/gateway.js';

export interface HarnessPort {
  name: string;
  rig: string;
  backend: string;
  extra?: Record<string, unknown>;
}

/**
 * A real gateway, in this process, from a generated YAML config in a temporary directory: real ptys,
 * real links, the real backends. `links[name]` is each port's stable path.
 */
export class GatewayHarness {
  private constructor(
    readonly dir: string,
    readonly gateway: Gateway,
    readonly links: Record<string, string>,
  ) {}

  static async start(
    backends: Record<string, { type: string; address?: string; [key: string]: unknown }>,
    ports: HarnessPort[],
    /** `servers:` of the config (the network doors), as name → keys. */
    servers: Record<string, Record<string, unknown>> = {},
  ): Promise<GatewayHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'catbridge-test-'));
    const links: Record<string, string> = {};
    const lines = ['http:', '  listen: 127.0.0.1:0', 'backends:'];
    for (const [name, b] of Object.entries(backends)) {
      lines.push(`  ${name}:`);
      for (const [key, value] of Object.entries(b)) lines.push(`    ${key}: ${JSON.stringify(value)}`);
    }
    lines.push('ports:');
    for (const p of ports) {
      links[p.name] = join(dir, p.name);
      lines.push(
        `  ${p.name}:`,
        `    rig: ${p.rig}`,
        `    backend: ${p.backend}`,
        `    link: ${links[p.name]}`,
      );
      for (const [key, value] of Object.entries(p.extra ?? {}))
        lines.push(`    ${key}: ${JSON.stringify(value)}`);
    }
    if (Object.keys(servers).length > 0) lines.push('servers:');
    for (const [name, server] of Object.entries(servers)) {
      lines.push(`  ${name}:`);
      for (const [key, value] of Object.entries(server)) lines.push(`    ${key}: ${JSON.stringify(value)}`);
    }
    const file = join(dir, 'catbridge.yaml');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const logger = pino({ level: process.env.CATBRIDGE_TEST_LOG ?? 'silent' });
    // PTT records (rig/ptt-record.ts) of test gateways stay in their temporary directory.
    process.env.CATBRIDGE_STATE_DIR = dir;
    const gateway = await Gateway.start(loadConfig(file), logger);
    return new GatewayHarness(dir, gateway, links);
  }

  session(name: string) {
    const session = this.gateway.ports.find((p) => p.name === name);
    if (!session) throw new Error(`no port ${name}`);
    return session;
  }

  /**
   * Where a program opens a port: its link, or `127.0.0.1:<port>` of its CAT over TCP (as Hamlib takes
   * it for `-r`; the FLEX-6000 is reachable no other way).
   */
  address(name: string): string {
    const port = this.session(name).port as { tcpPort?: number };
    return port.tcpPort === undefined ? this.links[name]! : `127.0.0.1:${port.tcpPort}`;
  }

  rig(backend: string) {
    const rig = this.gateway.rigs.get(backend);
    if (!rig) throw new Error(`no backend ${backend}`);
    return rig;
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls `check` until it holds or the deadline passes (functional deadlines are asserted this way). */
export async function until(
  check: () => boolean | Promise<boolean>,
  deadlineMs = 2000,
  what = 'condition',
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > deadlineMs) throw new Error(`${what} not met within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
