/**
 * Hamlib's rig_open through each emulated model: the time from starting `rigctl -m <model>` on a port
 * (on the simulator) to its first answer, rigctl's own start included. Called by bench/run.ts.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { hamlibPortType, listProfiles } from '../src/rigs/profiles.js';

/** A TCP port nothing listens on now, for a door the config must name. */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Row = (label: string, gateway: string, floor: string, note?: string) => void;
const SENTINEL = '\\get_separator';

/**
 * Milliseconds from spawning rigctl to the answer of its first command (rig_open happens in between).
 * Resolves only once rigctl has exited: some backends re-run their open sequence as rig_close (IC-7600,
 * Xiegu), and the next open must not share the port with that.
 */
function openOnce(model: number, device: string): Promise<number> {
  const started = performance.now();
  const child = spawn('stdbuf', ['-o0', 'rigctl', '-m', String(model), '-r', device, '-'], { stdio: 'pipe' });
  child.stderr.resume();
  child.stdin.write(`${SENTINEL}\n`);
  return new Promise((resolve, reject) => {
    let out = '';
    let answeredMs = 0;
    const timer = setTimeout(() => reject(new Error(`rigctl -m ${model} did not open ${device}`)), 20_000);
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(SENTINEL) && !answeredMs) {
        answeredMs = performance.now() - started;
        child.stdin.end();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (answeredMs) resolve(answeredMs);
      else reject(new Error(`rigctl -m ${model} exited before answering on ${device}`));
    });
  });
}

export async function rigOpenTimes(work: string, row: Row): Promise<void> {
  // A model Hamlib opens only over the network (the FLEX-6000) is reached at its port's CAT over TCP.
  const profiles = listProfiles();
  const device = new Map<string, string>();
  const lines = ['backends:', '  radio:', '    type: sim', 'ports:'];
  for (const p of profiles) {
    const link = join(work, `open-${p.key}`);
    lines.push(`  ${p.key}:`, `    rig: ${p.key}`, '    backend: radio', `    link: ${link}`);
    if (hamlibPortType(p) === 'network') {
      const port = await freeTcpPort();
      lines.push('    transport: tcp', `    tcp: 127.0.0.1:${port}`);
      device.set(p.key, `127.0.0.1:${port}`);
    } else device.set(p.key, link);
  }
  const file = join(work, 'open.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const gateway = await Gateway.start(loadConfig(file), pino({ level: 'warn' }));
  try {
    for (const p of profiles) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push(await openOnce(p.hamlib.model, device.get(p.key)!));
      times.sort((a, b) => a - b);
      row(
        `rig_open ${p.key} (ms)`,
        times[1]!.toFixed(0),
        '-',
        `rigctl -m ${p.hamlib.model}, median of 3, process start included`,
      );
    }
  } finally {
    await gateway.stop();
  }
}
