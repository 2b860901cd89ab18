/** What a rig's health counters show (REST status, metrics). */
export interface HealthSnapshot {
  lastReadAt: number;
  lastError: string | null;
  reads: number;
  readFailures: number;
  /** Duration of the last successful read (the backend's round trip for it), ms. */
  lastReadMs: number | null;
  writes: number;
  writeFailures: number;
  /** Successful connections to the backend after the first. */
  reconnects: number;
}

/**
 * A rig's counters: reads and writes and how they went, connections, the last error, and the usual
 * duration of a read (which times the poller's reads ahead of their readers). `wallClock` stamps
 * lastReadAt (epoch ms, for people); injected for tests.
 */
export class RigHealth {
  private reads = 0;
  private readFailures = 0;
  private writes = 0;
  private writeFailures = 0;
  private connections = 0;
  private lastReadAt = 0;
  private lastReadMs: number | null = null;
  private readMsAverage: number | null = null;
  lastError: string | null = null;

  constructor(private readonly wallClock: () => number = Date.now) {}

  readOk(ms: number): void {
    this.reads++;
    this.lastReadMs = ms;
    this.readMsAverage = this.readMsAverage === null ? ms : 0.8 * this.readMsAverage + 0.2 * ms;
    this.lastReadAt = this.wallClock();
  }

  readFailed(error: string): void {
    this.readFailures++;
    this.lastError = error;
  }

  writeDone(error?: string): void {
    this.writes++;
    if (error === undefined) return;
    this.writeFailures++;
    this.lastError = error;
  }

  connected(): void {
    this.connections++;
    this.lastError = null;
  }

  /** The usual duration of a read, ms (a moving average; null before the first). */
  get typicalReadMs(): number | null {
    return this.readMsAverage;
  }

  snapshot(): HealthSnapshot {
    return {
      lastReadAt: this.lastReadAt,
      lastError: this.lastError,
      reads: this.reads,
      readFailures: this.readFailures,
      lastReadMs: this.lastReadMs,
      writes: this.writes,
      writeFailures: this.writeFailures,
      reconnects: Math.max(0, this.connections - 1),
    };
  }
}
