import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** The marker command written after every command: its echo tells the command is complete. */
const SENTINEL = '\\get_separator';

export interface RigctlReply {
  /** Whether Hamlib reported an error for the command. */
  ok: boolean;
  /** The values printed, e.g. ['14074000'] for `f`, ['USB', '2400'] for `m`. */
  values: string[];
  raw: string;
  ms: number;
}

/**
 * A long-lived real Hamlib `rigctl` driving a serial device, commands fed one at a time on stdin,
 * as WSJT-X keeps its port open between operations. Output is unbuffered through stdbuf so each
 * command's answer can be cut at the sentinel that follows it.
 */
export class RigctlSession {
  private out = '';
  private consumed = 0;
  private sentinels = 0;
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      this.out += chunk;
    });
    child.stderr.resume();
    child.on('exit', () => {
      this.exited = true;
    });
  }

  /** Starts `rigctl -m model -r device -` and waits until the rig is open (the first sentinel echoes). */
  static async open(
    model: number,
    device: string,
    extraArgs: string[] = [],
    timeoutMs = 15_000,
  ): Promise<RigctlSession> {
    const child = spawn('stdbuf', ['-o0', 'rigctl', '-m', String(model), '-r', device, ...extraArgs, '-'], {
      stdio: 'pipe',
    });
    const session = new RigctlSession(child);
    await session.cmd('', timeoutMs);
    return session;
  }

  /** Runs one command (`f`, `F 14074000`, `M PKTUSB 3000`, …) and returns what rigctl printed for it. */
  async cmd(line: string, timeoutMs = 10_000): Promise<RigctlReply> {
    const started = performance.now();
    const target = ++this.sentinels;
    this.child.stdin.write(line ? `${line}\n${SENTINEL}\n` : `${SENTINEL}\n`);
    const deadline = Date.now() + timeoutMs;
    while (this.countSentinels() < target) {
      if (this.exited) throw new Error(`rigctl exited during "${line}": ${this.out.slice(-500)}`);
      if (Date.now() > deadline) throw new Error(`rigctl did not finish "${line}" within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const end = this.nthSentinelIndex(target);
    const raw = this.out.slice(this.consumed, end);
    this.consumed = end + SENTINEL.length;
    const text = raw.trim();
    const ok = !/error = /.test(text);
    // rigctl echoes the command as written before its values: "f 14074000", "m USB\n2400", "F 7074000".
    const body = text.startsWith(line) ? text.slice(line.length) : text.replace(/^\S+/, '');
    const values = ok ? body.split(/\s+/).filter((v) => v.length > 0) : [];
    return { ok, values: line ? values : [], raw: text, ms: performance.now() - started };
  }

  private countSentinels(): number {
    return this.out.split(SENTINEL).length - 1;
  }

  private nthSentinelIndex(n: number): number {
    let index = -1;
    for (let i = 0; i < n; i++) index = this.out.indexOf(SENTINEL, index + 1);
    return index;
  }

  /** Kills rigctl outright (SIGKILL): a client that crashes without closing anything. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    this.child.stdin.end();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
