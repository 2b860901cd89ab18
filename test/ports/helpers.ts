import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PtyPort } from '../../src/gateway/ports/pty-port.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'serial_client.py');

export type Reply = Record<string, unknown> & { ok: boolean };

/** A serial client in its own python3 process (fixtures/serial_client.py), one command at a time. */
export class PyClient {
  private readonly waiting: ((reply: Reply) => void)[] = [];
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.waiting.shift()?.(JSON.parse(line)));
    child.stderr.pipe(process.stderr);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(): PyClient {
    return new PyClient(spawn('python3', [FIXTURE]));
  }

  /** Sends a command and resolves with its reply; rejects when the command fails or times out. */
  call(command: Record<string, unknown>, timeoutMs = 10_000): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${JSON.stringify(command)}`)), timeoutMs);
      this.waiting.push((reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply);
        else reject(new Error(`${JSON.stringify(command)}: ${String(reply.error)}`));
      });
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Polls until `check` holds; rejects at the deadline (functional waits never sleep a fixed time). */
export async function until(check: () => boolean, deadlineMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > deadlineMs)
      throw new Error(`timed out after ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}

/** Answers Kenwood-style queries from a fixed table, as an emulator would: the port's far end in tests. */
export function answerKenwood(port: PtyPort): void {
  const table: Record<string, string> = { 'FA;': 'FA00014074000;', 'ID;': 'ID019;' };
  let pending = '';
  port.on('data', (bytes) => {
    pending += Buffer.from(bytes).toString('latin1');
    for (let end = pending.indexOf(';'); end >= 0; end = pending.indexOf(';')) {
      const command = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      port.write(Buffer.from(table[command] ?? '?;', 'latin1'));
    }
  });
  port.on('client', () => {
    pending = '';
  });
}

/** Records the 'client' events of a port. */
export function clientEvents(port: PtyPort): boolean[] {
  const events: boolean[] = [];
  port.on('client', (open) => events.push(open));
  return events;
}

/** CPU time (user + system, ms) this process spends over `ms` of wall time with nothing else to do. */
export async function idleCpuMs(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Blocks this thread (no CPU burnt) so the event loop cannot run, as a long GC pause or slow handler would. */
export function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
