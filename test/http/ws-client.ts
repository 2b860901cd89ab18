import WebSocket from 'ws';

export interface ServerEvent {
  type: string;
  [key: string]: unknown;
}

/** A test client of /api/events: collects every event, waits for the ones a test expects. */
export class EventsClient {
  readonly events: ServerEvent[] = [];
  closeCode: number | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { events: ServerEvent[] };
      this.events.push(...message.events);
      for (const wake of this.waiters) wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      for (const wake of this.waiters) wake();
    });
  }

  /** Connects; resolves once open (or rejects with the HTTP status of a refused upgrade). */
  static connect(
    baseUrl: string,
    options: { protocols?: string[]; headers?: Record<string, string>; origin?: string } = {},
  ): Promise<EventsClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/events`;
    const socket = new WebSocket(url, options.protocols ?? ['catbridge.v1'], {
      headers: options.headers,
      ...(options.origin ? { origin: options.origin } : {}),
    });
    const client = new EventsClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Waits for an event matching `match` (among those already received too). */
  async waitFor(match: (e: ServerEvent) => boolean, timeoutMs = 3000, what = 'event'): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.closeCode !== null) throw new Error(`closed (${this.closeCode}) before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no ${what} within ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(',')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** Resolves with the close code once the server closes the socket. */
  async closed(timeoutMs = 3000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === null) {
      if (Date.now() > deadline) throw new Error('not closed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.closeCode;
  }

  close(): void {
    this.socket.close();
  }
}
