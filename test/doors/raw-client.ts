import { connect, type Socket } from 'node:net';

/**
 * A raw TCP client of a door: a NET-protocol line out and the whole answer back (answers end in RPRT or a
 * value line), or CAT bytes out (`send`) and what came back (`received`).
 */
export class RawClient {
  private data = '';
  private closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.data += chunk;
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends bytes as they are (no newline), forgetting what came before: a CAT command on a TCP door. */
  send(bytes: string): void {
    this.data = '';
    this.socket.write(bytes, 'latin1');
  }

  /** What came back since the last send or ask. */
  get received(): string {
    return this.data;
  }

  /** Sends a line and returns what came back once the answer has been complete for 30 ms. */
  async ask(line: string, timeoutMs = 2000): Promise<string> {
    this.data = '';
    this.socket.write(`${line}\n`);
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (this.data.length > 0 && this.data.length === seen) return this.data;
      seen = this.data.length;
      if (Date.now() > deadline) throw new Error(`no answer to ${line} within ${timeoutMs} ms`);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
