import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

export interface RoundTrip {
  count: number;
  failures: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  max_us: number;
  mean_us: number;
}

/** Runs the native raw client (bench/client/rtt.c) against a device. */
export function rawRoundTrip(
  rttBin: string,
  device: string,
  command: string,
  count: number,
  replyBytes?: number,
): Promise<RoundTrip> {
  const args = [device, command, String(count), ...(replyBytes ? [String(replyBytes)] : [])];
  return new Promise((resolve, reject) => {
    execFile(rttBin, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`rtt ${device} ${command}: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as RoundTrip);
    });
  });
}

export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${text}`)),
      timeoutMs,
    );
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', function onData(chunk: string) {
      text += chunk;
      const line = text.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}: ${text}`)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A real rigctld on a free (or the given) loopback port: by default `-m 1 -P RIG` (Hamlib's dummy
 * radio with CAT PTT); `radio` names another model and its serial device.
 */
export async function startRigctld(
  port?: number,
  radio: { model: number; device: string } | null = null,
): Promise<{ port: number; stop(): Promise<void> }> {
  port ??= await freePort();
  const rig = radio ? ['-m', String(radio.model), '-r', radio.device] : ['-m', '1', '-P', 'RIG'];
  const child = spawn('rigctld', [...rig, '-T', '127.0.0.1', '-t', String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error('rigctld did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The native floor responder (bench/floor): prints its pty path on its first line. */
export async function startFloor(
  bin: string,
  args: string[] = [],
): Promise<{ path: string; pid: number; stop(): void }> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await waitForLine(child, /^\/dev\//, 5000);
  return { path: line.trim(), pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

const SENTINEL = '\\get_separator';

/**
 * Hamlib get_freq operations per second through a port with Hamlib's own cache off, so every call
 * reaches the wire: one long-lived `rigctl -m model`, N `f` commands written at once, timed to the sentinel.
 */
export async function hamlibOpsPerSecond(device: string, count: number, model: number): Promise<number> {
  const child = spawn(
    'stdbuf',
    ['-o0', 'rigctl', '-m', String(model), '-r', device, '-C', 'cache_timeout=0', '-'],
    {
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  let out = '';
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  const sentinels = () => out.split(SENTINEL).length - 1;
  const waitSentinels = async (n: number) => {
    const deadline = Date.now() + 60_000;
    while (sentinels() < n) {
      if (Date.now() > deadline) throw new Error(`rigctl stalled on ${device}: ${out.slice(-300)}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  // Open the rig and run one command first, so PS;/open probing is outside the timed part.
  child.stdin.write(`f\n${SENTINEL}\n`);
  await waitSentinels(1);
  const started = performance.now();
  child.stdin.write(`${'f\n'.repeat(count)}${SENTINEL}\n`);
  await waitSentinels(2);
  const seconds = (performance.now() - started) / 1000;
  const errors = (out.match(/error = /g) ?? []).length;
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  if (errors > 0) throw new Error(`rigctl reported ${errors} errors on ${device}`);
  return count / seconds;
}

/**
 * A real Hamlib client on a device, its cache off, writing `commands` every `periodMs`; `onLine` gets
 * each line it prints (line-buffered, so as it answers). Returns its stop.
 */
export function pollingRigctl(
  model: number,
  device: string,
  commands: string,
  periodMs: number,
  onLine?: (line: string) => void,
): () => Promise<void> {
  const child = spawn(
    'stdbuf',
    ['-oL', 'rigctl', '-m', String(model), '-r', device, '-C', 'cache_timeout=0', '-'],
    { stdio: 'pipe' },
  );
  child.stdout.setEncoding('latin1');
  let partial = '';
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine?.(line);
  });
  child.stderr.resume();
  const timer = setInterval(() => child.stdin.write(commands), periodMs);
  return async () => {
    clearInterval(timer);
    child.stdin.end();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
}
