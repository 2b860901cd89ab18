/** The client's serial settings as it set them with tcsetattr (informational for a pty). */
export interface LineSettings {
  baud: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'odd' | 'even';
  stopBits: 1 | 2;
}

/**
 * A virtual serial port: bytes in, bytes out, and the client's comings and goings.
 * Events: 'data' (Uint8Array), 'client' (open: boolean), 'error' (Error).
 */
export interface VirtualPort {
  /** The stable path clients open (the symlink). */
  readonly link: string;
  /** The device behind it (/dev/pts/N). */
  readonly path: string;
  /** Whether a client holds the port open now. */
  readonly clientOpen: boolean;
  /** The client's current line settings. */
  lineSettings(): LineSettings;
  write(bytes: Uint8Array): void;
  /** `readAtMs`: when the bytes were read, on the monotonicMs() clock, where the port knows it. */
  on(event: 'data', fn: (bytes: Uint8Array, readAtMs?: number) => void): this;
  on(event: 'client', fn: (open: boolean) => void): this;
  on(event: 'error', fn: (err: Error) => void): this;
  /** Stops I/O, closes the pty and removes the link. */
  close(): Promise<void>;
}
