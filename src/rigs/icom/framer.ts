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
export class CivFramer {
  private frame: number[] = [];
  /** Preamble bytes seen in a row while outside a frame. */
  private preambles = 0;

  constructor(private readonly maxFrameBytes = 64) {}

  push(
    bytes: Uint8Array,
    onFrame: (frame: CivFrame) => void,
    onDropped: (bytes: Uint8Array, why: string) => void,
  ): void {
    for (const byte of bytes) {
      if (this.frame.length === 0) {
        // Hunting for `FE FE`.
        if (byte === PREAMBLE) {
          this.preambles++;
        } else if (this.preambles >= 2) {
          this.frame = [PREAMBLE, PREAMBLE, byte];
          this.preambles = 0;
          if (byte === END) this.finish(onFrame, onDropped);
        } else {
          this.preambles = 0; // a lone FE or garbage between frames: skipped, as a radio does
        }
        continue;
      }
      if (byte === PREAMBLE) {
        // A new preamble inside a frame: the frame so far was abandoned. Radios accept more than two
        // FE before the address, so `FE FE FE 94 …` is one frame, handled by the hunting state.
        onDropped(Uint8Array.from(this.frame), 'half frame abandoned');
        this.frame = [];
        this.preambles = 1;
        continue;
      }
      this.frame.push(byte);
      if (byte === END) {
        this.finish(onFrame, onDropped);
      } else if (this.frame.length > this.maxFrameBytes) {
        onDropped(Uint8Array.from(this.frame), `no FD within ${this.maxFrameBytes} bytes`);
        this.frame = [];
      }
    }
  }

  private finish(
    onFrame: (frame: CivFrame) => void,
    onDropped: (bytes: Uint8Array, why: string) => void,
  ): void {
    const raw = Uint8Array.from(this.frame);
    this.frame = [];
    // FE FE <to> <from> <cmd> FD is the shortest frame; a shorter one or a collision is not a command.
    if (raw.length < 6) onDropped(raw, 'frame too short');
    else if (raw.includes(COLLISION)) onDropped(raw, 'collision (FC)');
    else onFrame({ to: raw[2]!, from: raw[3]!, body: raw.subarray(4, raw.length - 1), raw });
  }

  /** Bytes held while waiting for the end of a frame (for tests of the bound). */
  get pendingBytes(): number {
    return this.frame.length;
  }

  reset(): void {
    this.frame = [];
    this.preambles = 0;
  }
}
