/**
 * Hamlib's rig_open through each emulated model: the time from starting `rigctl -m <model>` on a port
 * (on the simulator) to its first answer, rigctl's own start included. Called by bench/run.ts.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { listProfiles } from '../src/rigs/profiles.js';

type Row = (label: string, gateway: string, floor: string, note?: string) => void;
const SENTINEL = '\\get_separator';

/** Milliseconds from spawning rigctl to the answer of its first command (rig_open happens in between). */
function openOnce(model: number, device: string): Promise<number> {
  const started = performance.now();
  const child = spawn('stdbuf', ['-o0', 'rigctl', '-m', String(model), '-r', device, '-'], { stdio: 'pipe' });
  child.stderr.resume();
  child.stdin.write(`${SENTINEL}\n`);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`rigctl -m ${model} did not open ${device}`)), 20_000);
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(SENTINEL)) {
        clearTimeout(timer);
        resolve(performance.now() - started);
        child.stdin.end();
      }
    });
  });
}

export async function rigOpenTimes(work: string, row: Row): Promise<void> {
  // A model with no serial line (the FLEX-6000: network-only in Hamlib) opens through a CAT-over-TCP
  // door, not a pty.
  const profiles = listProfiles().filter((p) => p.serial !== undefined);
  const lines = ['backends:', '  radio:', '    type: sim', 'ports:'];
  for (const p of profiles)
    lines.push(
      `  ${p.key}:`,
      `    rig: ${p.key}`,
      '    backend: radio',
      `    link: ${join(work, `open-${p.key}`)}`,
    );
  const file = join(work, 'open.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const gateway = await Gateway.start(loadConfig(file), pino({ level: 'warn' }));
  try {
    for (const p of profiles) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push(await openOnce(p.hamlib.model, join(work, `open-${p.key}`)));
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
