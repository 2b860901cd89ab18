import { type Framer, type FrameSink, positiveInteger } from '../../framer.js';

/**
 * Cuts a Yaesu 5-byte CAT stream into frames `P1 P2 P3 P4 OP`. There is no terminator and no checksum,
 * so a stream that lost a byte would stay misaligned forever; the only clue a real radio has is time.
 * An inter-byte gap of at least `gapMs` therefore starts a new frame, and the partial frame before it
 * is reported and dropped. Times are when the port read the bytes (`readAtMs`), not when the event loop
 * got round to them, so a busy gateway never cuts a frame a client wrote in one go. Without times (unit
 * tests, a port that cannot tell) frames are counted in fives.
 *
 * Memory is bounded: at most 4 bytes wait for their frame.
 */
export class FiveByteFramer implements Framer<Uint8Array> {
  static readonly FRAME_BYTES = 5;
  private readonly frame = new Uint8Array(FiveByteFramer.FRAME_BYTES);
  private length = 0;
  private lastReadAtMs: number | undefined;
  private readonly gapMs: number;

  constructor(options: { gapMs: number } = { gapMs: 100 }) {
    this.gapMs = positiveInteger('gapMs', options.gapMs);
  }

  /** Feeds bytes read at `readAtMs`; a partial frame before an inter-byte gap is dropped as `resync`. */
  push(bytes: Uint8Array, sink: FrameSink<Uint8Array>, readAtMs?: number): void {
    if (
      readAtMs !== undefined &&
      this.lastReadAtMs !== undefined &&
      this.length > 0 &&
      readAtMs - this.lastReadAtMs >= this.gapMs
    ) {
      const dropped = this.frame.slice(0, this.length);
      this.length = 0;
      sink.dropped({ bytes: dropped, kind: 'resync', why: `inter-byte gap of ${this.gapMs} ms or more` });
    }
    if (readAtMs !== undefined) this.lastReadAtMs = readAtMs;
    for (const byte of bytes) {
      this.frame[this.length++] = byte;
      if (this.length === FiveByteFramer.FRAME_BYTES) {
        this.length = 0;
        sink.frame(this.frame.slice());
      }
    }
  }

  get pendingBytes(): number {
    return this.length;
  }

  reset(): void {
    this.length = 0;
    this.lastReadAtMs = undefined;
  }
}
