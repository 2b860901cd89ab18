/**
 * Bytes a framer gave up on: a run with no terminator within the frame cap (`overflow`), a frame that
 * cannot be a command (`overflow`, with why), or a partial fixed-length frame cut by an inter-byte gap
 * (`resync`, Yaesu 5-byte CAT).
 */
export interface Dropped {
  bytes: Uint8Array;
  kind: 'overflow' | 'resync';
  why: string;
}

/** Where a framer delivers what it cut: each whole frame, and each run it dropped. */
export interface FrameSink<F> {
  frame(frame: F): void;
  dropped(dropped: Dropped): void;
}

/**
 * Cuts one protocol's byte stream into frames (STYLE.md, node-serialport: one small unit per framing
 * rule, the same shape for all). Bytes may arrive split anywhere and several frames per chunk; memory is
 * bounded by a cap each framer checks in its constructor.
 */
export interface Framer<F> {
  /** Feeds bytes; `readAtMs` is when the port read them (only gap-framed protocols use it). */
  push(bytes: Uint8Array, sink: FrameSink<F>, readAtMs?: number): void;
  /** Bytes held while waiting for the end of a frame (for tests of the bound). */
  readonly pendingBytes: number;
  /** The client closed the port: a half frame is forgotten. */
  reset(): void;
}

/** Constructor check shared by the framers: a size or time option is a positive integer. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
