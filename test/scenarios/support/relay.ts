import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';

/** One line the gateway sent towards rigctld, as it passed the relay. */
export interface RelayedLine {
  /** performance.now() when the relay read it. */
  at: number;
  line: string;
}

/**
 * Command lines that change the radio (rigctld's short and long set commands). `\set_vfo_opt` is the
 * backend's own protocol switch (VFO mode), not a change of the radio, and is left out.
 */
const WRITE =
  /^\+?(?:[FMVSTLIXJZUPGRN]|\\set_(?!vfo_opt\b)\w+|\\send_\w+|\\vfo_op|\\halt|\\power_\w+)(?:\s|$)/;

/** Whether a rigctld command line changes the radio. */
export function isRadioWrite(line: string): boolean {
  return WRITE.test(line.trim());
}

/**
 * A TCP relay in front of rigctld that holds every chunk of rigctld's answers `delayMs` before passing
 * it on, preserving order even when `delayMs` changes midway (each connection's chunks leave one after
 * another, never before the previous one). Requests pass at once. Every line sent towards rigctld is
 * recorded with its time, so a test can say exactly what reached the radio and when.
 *
 * When rigctld goes away the relay drops the client's connection too, so the gateway sees the loss
 * and reconnects through the relay to whatever listens on the target port by then.
 */
export class DelayRelay {
  readonly sent: RelayedLine[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    public delayMs: number,
  ) {}

  static async start(targetPort: number, delayMs: number): Promise<DelayRelay> {
    let relay: DelayRelay | undefined;
    const server = createServer((client) => relay!.accept(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    relay = new DelayRelay(server, typeof address === 'object' && address ? address.port : 0, delayMs);
    return relay;
  }

  /** Radio-changing lines sent since `since` (performance.now()). */
  writesSince(since: number): RelayedLine[] {
    return this.sent.filter((l) => l.at >= since && isRadioWrite(l.line));
  }

  private accept(client: Socket, targetPort: number): void {
    const upstream = netConnect(targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let partial = '';
    client.on('data', (chunk: Buffer) => {
      const at = performance.now();
      partial += chunk.toString('latin1');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.sent.push({ at, line });
      upstream.write(chunk);
    });
    // Answers leave in order: each no earlier than its arrival + delayMs, and never before the one before it.
    const queue: { due: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const pump = () => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.due <= performance.now() + 0.5) {
        const { chunk } = queue.shift()!;
        if (!client.destroyed) client.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(pump, Math.max(1, queue[0]!.due - performance.now()));
    };
    upstream.on('data', (chunk: Buffer) => {
      queue.push({ due: performance.now() + this.delayMs, chunk });
      if (!timer) {
        if (this.delayMs <= 0 && queue.length === 1) pump();
        else timer = setTimeout(pump, Math.max(1, queue[0]!.due - performance.now()));
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
