import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';

/**
 * A client that keeps a port open, as a program does all day: one open, then command after command
 * (port-exchange.ts opens the port for each command, which is an open every time).
 */
export class CatClient {
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(256);

  constructor(device: string) {
    this.fd = openSync(device, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  }

  /** Writes `command` (one byte a character) and does not wait for an answer (a set that has none). */
  send(command: string): void {
    writeSync(this.fd, Buffer.from(command, 'latin1'));
  }

  /** Writes `command` (one byte a character) and collects the answer until it ends with `stop` or `ms` pass. */
  async ask(command: string, ms = 1000, stop = ';'): Promise<string> {
    writeSync(this.fd, Buffer.from(command, 'latin1'));
    let answer = '';
    const end = Date.now() + ms;
    while (Date.now() < end && !answer.endsWith(stop)) {
      try {
        answer += this.buffer.toString(
          'latin1',
          0,
          readSync(this.fd, this.buffer, 0, this.buffer.length, null),
        );
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    return answer;
  }

  /** Whatever the port sends unasked within `ms` (unsolicited reports). */
  async collect(ms: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      try {
        const n = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
        chunks.push(Buffer.from(this.buffer.subarray(0, n)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    return Buffer.concat(chunks);
  }

  close(): void {
    closeSync(this.fd);
  }
}
