/**
 * The real `catbridge` CLI as a child process, for benches that need one (signals, RSS of its own
 * process): started on a config, its API address read from the ready lines, stopped with SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { waitForLine } from './tools.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli.js');

export interface Cli {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** `stateDir` holds the PTT record and is the runtime directory, so nothing lands in the user's own. */
export async function startCli(config: string, stateDir: string): Promise<Cli> {
  const child = spawn(process.execPath, [cli, '--config', config, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CATBRIDGE_STATE_DIR: stateDir, XDG_RUNTIME_DIR: stateDir },
  });
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const line = await waitForLine(child, /dashboard and API at/, 10_000);
  child.stdout!.resume();
  const url = /dashboard and API at (http:\/\/\S+?)\/(\s|$)/.exec(line)?.[1];
  if (!url) throw new Error(`no API address in '${line}'`);
  return { child, url, stderr: () => stderr, exited };
}

/** SIGTERM, SIGKILL after 3 s. */
export async function stopCli(gateway: Cli): Promise<void> {
  if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGTERM');
  const timer = setTimeout(() => gateway.child.kill('SIGKILL'), 3000);
  await gateway.exited;
  clearTimeout(timer);
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** The resident set of a process now, in MB (Linux: /proc). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/** A counter of /metrics summed over the series whose labels include every one of `labels`. */
export async function metric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) total += Number(match[3]);
  }
  return total;
}
