import { type Framer, type FrameSink, positiveInteger } from '../framer.js';

/** One CI-V frame: `FE FE <to> <from> <body…> FD`, with the raw bytes as received. */
export interface CivFrame {
  to: number;
  from: number;
  /** Command, sub-command and data: everything between the addresses and `FD`. */
  body: Uint8Array;
  raw: Uint8Array;
}

const PREAMBLE = 0xfe;
const END = 0xfd;
/** `FC` is the bus-collision (jammer) code: a frame that contains it was garbled on the bus. */
const COLLISION = 0xfc;

/**
 * Cuts a CI-V byte stream into frames. Bytes may arrive split anywhere and several frames per write.
 * Bytes outside a frame are skipped; a preamble inside a frame (a client that gave up on a half
 * frame and started again) restarts the frame there, so a stream always resynchronises on the next
 * `FE FE`. Memory is bounded: a frame longer than `maxFrameBytes` is dropped and reported.
 */
export class CivFramer implements Framer<CivFrame> {
  private frame: number[] = [];
  /** Preamble bytes seen in a row while outside a frame. */
  private preambles = 0;
  private readonly maxFrameBytes: number;

  constructor(options: { maxFrameBytes: number } = { maxFrameBytes: 64 }) {
    this.maxFrameBytes = positiveInteger('maxFrameBytes', options.maxFrameBytes);
  }

  push(bytes: Uint8Array, sink: FrameSink<CivFrame>): void {
    const drop = (dropped: number[] | Uint8Array, why: string) =>
      sink.dropped({ bytes: Uint8Array.from(dropped), kind: 'overflow', why });
    for (const byte of bytes) {
      if (this.frame.length === 0) {
        // Hunting for `FE FE`.
        if (byte === PREAMBLE) {
          this.preambles++;
        } else if (this.preambles >= 2) {
          this.frame = [PREAMBLE, PREAMBLE, byte];
          this.preambles = 0;
          if (byte === END) this.finish(sink);
        } else {
          this.preambles = 0; // a lone FE or garbage between frames: skipped, as a radio does
        }
        continue;
      }
      if (byte === PREAMBLE) {
        // A new preamble inside a frame: the frame so far was abandoned. Radios accept more than two
        // FE before the address, so `FE FE FE 94 …` is one frame, handled by the hunting state.
        drop(this.frame, 'half frame abandoned');
        this.frame = [];
        this.preambles = 1;
        continue;
      }
      this.frame.push(byte);
      if (byte === END) {
        this.finish(sink);
      } else if (this.frame.length > this.maxFrameBytes) {
        drop(this.frame, `no FD within ${this.maxFrameBytes} bytes`);
        this.frame = [];
      }
    }
  }

  private finish(sink: FrameSink<CivFrame>): void {
    const raw = Uint8Array.from(this.frame);
    this.frame = [];
    // FE FE <to> <from> <cmd> FD is the shortest frame; a shorter one or a collision is not a command.
    if (raw.length < 6) sink.dropped({ bytes: raw, kind: 'overflow', why: 'frame too short' });
    else if (raw.includes(COLLISION)) sink.dropped({ bytes: raw, kind: 'overflow', why: 'collision (FC)' });
    else sink.frame({ to: raw[2]!, from: raw[3]!, body: raw.subarray(4, raw.length - 1), raw });
  }

  get pendingBytes(): number {
    return this.frame.length;
  }

  reset(): void {
    this.frame = [];
    this.preambles = 0;
  }
}
