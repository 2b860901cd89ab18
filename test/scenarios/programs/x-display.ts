import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where screenshots of failed program tests go (gitignored). */
export const ARTIFACTS = resolve(process.cwd(), 'test-artifacts', 'programs');

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A headless X server (Xvfb) on a display number nobody uses, for running real GUI programs. Programs
 * started with `env` get DISPLAY set; `screenshot` keeps the whole screen as a PNG under test-artifacts.
 */
export class XDisplay {
  private constructor(
    readonly number: number,
    private readonly child: ChildProcess,
  ) {}

  get name(): string {
    return `:${this.number}`;
  }

  static async start(): Promise<XDisplay> {
    // Start high and spread by pid, so parallel test files (and other suites) rarely collide.
    const first = 100 + (process.pid % 300);
    for (let n = first; n < first + 60; n++) {
      if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
      const child = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      live.add(child);
      let stderr = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        stderr = (stderr + text).slice(-2000);
      });
      const display = new XDisplay(n, child);
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          await run('xdotool', ['getdisplaygeometry'], { env: { ...process.env, DISPLAY: `:${n}` } });
          return display;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await display.stop();
      if (!/already active|Server is already/.test(stderr) && child.exitCode === null)
        throw new Error(`Xvfb :${n} did not come up: ${stderr}`);
    }
    throw new Error('no free X display number found');
  }

  /** The environment for a program on this display. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, DISPLAY: this.name, ...extra };
  }

  async xdotool(...args: string[]): Promise<string> {
    const { stdout } = await run('xdotool', args, { env: this.env(), timeout: 10_000 });
    return stdout.trim();
  }

  /** Saves the screen under test-artifacts/programs/ and returns the path (or why it could not). */
  async screenshot(label: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `${label.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${Date.now()}.png`);
    try {
      await run('import', ['-window', 'root', '-display', this.name, file], { timeout: 15_000 });
      return file;
    } catch (err) {
      return `(screenshot failed: ${(err as Error).message})`;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
  }
}

/** Runs one check; on failure keeps a screenshot and names it in the error. */
export async function withScreenshot<T>(x: XDisplay, label: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const shot = await x.screenshot(label);
    const error = err instanceof Error ? err : new Error(String(err));
    error.message = `${error.message}\n  screenshot: ${shot}`;
    throw error;
  }
}

/** Child process ids of a process (from /proc), e.g. WSJT-X's jt9. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether a process id is alive (a zombie counts as gone). */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
