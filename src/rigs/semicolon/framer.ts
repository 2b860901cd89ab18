import { type Framer, type FrameSink, positiveInteger } from '../framer.js';

export interface SemicolonFramerOptions {
  /** The longest command kept while waiting for its `;` (Kenwood/ZZ 64, newcat 48). */
  maxFrameBytes: number;
}

/**
 * Cuts a `;`-terminated ASCII stream (Kenwood, Elecraft, Flex/PowerSDR ZZ, Yaesu newcat) into commands,
 * without the `;`. Several commands may arrive in one write (Hamlib sends `FR0;FT1;ID;` and `MD02;MD0;`
 * at once), and some clients put CR/LF or NUL between commands, which a real radio ignores.
 *
 * Memory is bounded: a run of more than `maxFrameBytes` without `;` is dropped (reported once per run)
 * and framing resumes after the next `;`.
 *
 * @example new SemicolonFramer({ maxFrameBytes: 64 }).push(bytes, { frame: run, dropped: report })
 */
export class SemicolonFramer implements Framer<string> {
  private buffer = '';
  private overflowing = false;
  private readonly maxFrameBytes: number;

  constructor(options: SemicolonFramerOptions) {
    this.maxFrameBytes = positiveInteger('maxFrameBytes', options.maxFrameBytes);
  }

  push(bytes: Uint8Array, sink: FrameSink<string>): void {
    for (const byte of bytes) {
      if (byte === 0x3b /* ; */) {
        const command = this.buffer;
        this.buffer = '';
        if (this.overflowing) this.overflowing = false;
        else sink.frame(command);
        continue;
      }
      if (byte === 0x0d || byte === 0x0a || byte === 0x00) continue;
      if (this.overflowing) continue;
      if (this.buffer.length >= this.maxFrameBytes) {
        sink.dropped({
          bytes: Buffer.from(this.buffer, 'latin1'),
          kind: 'overflow',
          why: `no ';' within ${this.maxFrameBytes} bytes`,
        });
        this.buffer = '';
        this.overflowing = true;
        continue;
      }
      this.buffer += String.fromCharCode(byte);
    }
  }

  get pendingBytes(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.buffer = '';
    this.overflowing = false;
  }
}
