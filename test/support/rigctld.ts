import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect as netConnect, type Socket } from 'node:net';

/**
 * A real Hamlib `rigctld` for contract tests: by default `rigctld -m 1 -P RIG` (the dummy radio, with
 * PTT through the rig as the gateway's users run it) on 127.0.0.1 and a free port.
 */
export interface RigctldOptions {
  /** Hamlib model; 1 is the dummy. */
  model?: number;
  /** `-P` PTT type; null leaves it out (the dummy then refuses `t` with RPRT -11). Default 'RIG'. */
  ptt?: string | null;
  /** More arguments, e.g. ['--vfo']. */
  extraArgs?: string[];
}

const HOST = '127.0.0.1';
const live = new Set<ChildProcess>();
// A test run that dies halfway must not leave daemons behind on the machine.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port nobody listens on right now: bind port 0, read what the kernel gave, release it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

export class Rigctld {
  private child: ChildProcess | null = null;
  private stderr = '';

  private constructor(
    readonly port: number,
    private readonly options: RigctldOptions,
  ) {}

  /** Starts rigctld and resolves once it accepts connections; retries on another port if one was taken. */
  static async start(options: RigctldOptions = {}): Promise<Rigctld> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const rigctld = new Rigctld(await freePort(), options);
      try {
        await rigctld.spawn();
        return rigctld;
      } catch (err) {
        lastError = err;
        await rigctld.kill();
      }
    }
    throw lastError;
  }

  readonly host = HOST;

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get args(): string[] {
    const { model = 1, ptt = 'RIG', extraArgs = [] } = this.options;
    return [
      '-m',
      String(model),
      ...(ptt ? ['-P', ptt] : []),
      '-T',
      HOST,
      '-t',
      String(this.port),
      ...extraArgs,
    ];
  }

  /** SIGTERM, then SIGKILL if it has not exited within 2 s. Resolves when the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
  }

  /** Kills it (if running) and starts it again on the same port: a fresh dummy radio. */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  /** Starts the process again after kill(), on the same port. */
  async spawn(): Promise<void> {
    if (this.running) return;
    this.stderr = '';
    const child = spawn('rigctld', this.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    live.add(child);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-4000);
    });
    child.on('error', () => {}); // reported through waitUntilListening
    await this.waitUntilListening(child, 5000);
  }

  private async waitUntilListening(child: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `rigctld ${this.args.join(' ')} exited (${child.exitCode ?? child.signalCode}): ${this.stderr}`,
        );
      }
      try {
        // Accepting a connection is not enough: rigctld 4.5.4 can still reset the next one while it
        // opens the rig (seen as ECONNRESET in the handshake), so wait for a real answer.
        const [reply] = await rigctlReplies(this.port, '\\get_powerstat');
        if (reply?.code === 0) return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`rigctld on port ${this.port} did not accept connections within ${timeoutMs} ms`);
  }
}

function openSocket(port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: HOST, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('connect timeout')));
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** One answer from the raw client: its value lines (header and RPRT removed) and the RPRT code. */
export interface RigctlReply {
  command: string;
  code: number;
  values: string[];
}

/**
 * Sends commands to rigctld one at a time in the extended form (`+` is prepended) on a fresh
 * connection, and returns each answer. A tiny independent client for tests to set and read the dummy
 * radio behind the backend's back. Commands are sent as given: against `--vfo` they need their VFO
 * argument (`f VFOA`).
 */
export async function rigctlReplies(port: number, ...commands: string[]): Promise<RigctlReply[]> {
  try {
    return await rigctlRepliesOnce(port, commands);
  } catch {
    // rigctld 4.5.4 now and then leaves a fresh connection unanswered (seen under load); the
    // commands these tests send are idempotent, so one more try on a new connection is safe.
    return await rigctlRepliesOnce(port, commands);
  }
}

async function rigctlRepliesOnce(port: number, commands: string[]): Promise<RigctlReply[]> {
  const socket = await openSocket(port, 2000);
  socket.setEncoding('latin1');
  let buffer = '';
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    wake?.();
  });
  const nextLine = async (deadline: number): Promise<string> => {
    while (lines.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('rigctl raw client: no answer within 2 s');
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      wake = null;
    }
    return lines.shift()!;
  };
  try {
    const replies: RigctlReply[] = [];
    for (const command of commands) {
      socket.write(`+${command}\n`);
      const got: string[] = [];
      const deadline = Date.now() + 2000;
      for (;;) {
        const line = await nextLine(deadline);
        const rprt = /^RPRT (-?\d+)$/.exec(line);
        if (rprt) {
          replies.push({ command, code: Number(rprt[1]), values: got.slice(1) });
          break;
        }
        got.push(line);
      }
    }
    return replies;
  } finally {
    socket.destroy();
  }
}

/** Like rigctlReplies, but throws when rigctld refuses any command. Returns each answer's value lines. */
export async function rigctlCmd(port: number, ...commands: string[]): Promise<string[][]> {
  const replies = await rigctlReplies(port, ...commands);
  for (const reply of replies) {
    if (reply.code !== 0) throw new Error(`rigctld refused '${reply.command}': RPRT ${reply.code}`);
  }
  return replies.map((reply) => reply.values);
}

/** The value of `Key: value` in one command's answer (`rigctlValue(port, 'f', 'Frequency')`). */
export async function rigctlValue(port: number, command: string, key: string): Promise<string> {
  const [values] = await rigctlCmd(port, command);
  for (const line of values ?? []) {
    if (line.startsWith(`${key}: `)) return line.slice(key.length + 2);
  }
  throw new Error(`no '${key}' in the answer to '${command}': ${JSON.stringify(values)}`);
}

/**
 * A persistent connection to rigctld speaking its extended protocol, one command at a time: a hand on
 * the radio (scenarios) or a fast monitor of it (benches), where a connection per command is too slow.
 */
export class RigLink {
  private buffer = '';
  private readonly lines: string[] = [];
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop() ?? '';
      this.lines.push(...parts);
      this.wake?.();
    });
    socket.on('error', () => {}); // seen as a missed answer
  }

  static open(port: number): Promise<RigLink> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new RigLink(socket)));
      socket.once('error', reject);
    });
  }

  /**
   * One command (`+` prepended); its value lines. Throws on a refusal or no answer within 5 s: the hand
   * at the radio, not a figure under test (an answer once missed a 2 s limit on a loaded CI run).
   */
  async cmd(command: string): Promise<string[]> {
    this.socket.write(`+${command}\n`);
    const deadline = performance.now() + 5000;
    const got: string[] = [];
    for (;;) {
      while (this.lines.length === 0) {
        const left = deadline - performance.now();
        if (left <= 0) {
          // A stalled event loop runs the expired timer before the data that came meanwhile: let
          // pending I/O in once before calling the answer missing.
          await new Promise((resolve) => setImmediate(resolve));
          if (this.lines.length > 0) break;
          throw new Error(`rigctld: no answer to '${command}' within 5 s`);
        }
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
        this.wake = null;
      }
      const line = this.lines.shift()!;
      const rprt = /^RPRT (-?\d+)$/.exec(line);
      if (rprt) {
        if (rprt[1] !== '0') throw new Error(`rigctld refused '${command}': RPRT ${rprt[1]}`);
        return got.slice(1); // without the echoed command name
      }
      got.push(line);
    }
  }

  async ptt(): Promise<boolean> {
    return (await this.cmd('t')).includes('PTT: 1');
  }

  close(): void {
    this.socket.destroy();
  }
}
