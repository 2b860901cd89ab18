import type { ReadGroup } from '../../model/rig.js';

/** One client's reading of one part of the radio. */
interface Reading {
  /** The client's last read of it. */
  last: number;
  /** When the client first read it in its current exchange. */
  burstStart: number;
  /** The exchange it was last read in. */
  burst: number;
  /** How often the client reads this part, ms; null until it has read it in two exchanges. */
  period: number | null;
  /** Intervals in a row much shorter than the period (see note). */
  shorter: number;
}

/** One client's exchanges: a run of reads with no gap longer than burstGapMs (a poll cycle). */
interface Exchanges {
  parts: Map<ReadGroup, Reading>;
  /** The current exchange's number and start, and the client's last read of anything. */
  burst: number;
  burstStart: number;
  lastAny: number;
}

export interface DemandOptions {
  /** The poll period of the backend: nothing is read more often than this. */
  pollMs: number;
  /**
   * A pause this long between a client's reads ends its exchange: what it reads next is its next poll
   * cycle. WSJT-X through Hamlib reads `f m v s t` back to back, each a few ms after the previous
   * answer, then nothing until the next second.
   */
  burstGapMs?: number;
  /** An exchange never lasts longer than this (a client reading without pause still has a rate). */
  maxBurstMs?: number;
}

/** The oldest a single reader's value may be, ms: it then sees a change within its period + this. */
export const SINGLE_READER_AGE_MS = 300;
/** How much later than its period a pacing reader's polls may come (its own timer's jitter). */
const PERIOD_JITTER_MS = 150;
/** A client silent this long (and for 2.5 of its periods) no longer makes its parts polled. */
const MIN_IDLE_MS = 2000;

/**
 * Who reads which part of the radio, and how often (demand-driven polling, DESIGN.md): the poller
 * reads a part only while some client reads it, at the most demanding reader's rate and just before
 * its next read, and a read may be answered from the cache only while the value is younger than
 * maxAgeMs. Pure: every method takes the time.
 */
export class Demand {
  private readonly readings = new Map<object, Exchanges>();
  private readonly burstGapMs: number;
  private readonly maxBurstMs: number;

  constructor(private readonly options: DemandOptions) {
    this.burstGapMs = options.burstGapMs ?? 100;
    this.maxBurstMs = options.maxBurstMs ?? 500;
  }

  /** `reader` read `group` at `now`. Returns true when the reader or its rate is new (re-plan polls). */
  note(reader: object, group: ReadGroup, now: number): boolean {
    let client = this.readings.get(reader);
    if (!client) {
      client = { parts: new Map(), burst: 0, burstStart: now, lastAny: now };
      this.readings.set(reader, client);
    }
    if (now - client.lastAny > this.burstGapMs || now - client.burstStart > this.maxBurstMs) {
      client.burst++;
      client.burstStart = now;
    }
    client.lastAny = now;
    const reading = client.parts.get(group);
    if (!reading) {
      client.parts.set(group, { last: now, burstStart: now, burst: client.burst, period: null, shorter: 0 });
      return true;
    }
    reading.last = now;
    if (reading.burst === client.burst) return false;
    const interval = now - reading.burstStart;
    reading.burst = client.burst;
    reading.burstStart = now;
    const before = reading.period;
    if (before === null) reading.period = interval;
    else if (interval < before / 2) {
      // One short interval is usually an exchange cut in two (its client held for a fresh read); a
      // client that really reads faster shows it three times in a row.
      if (++reading.shorter >= 3) {
        reading.period = interval;
        reading.shorter = 0;
      }
    } else {
      reading.shorter = 0;
      // A longer gap is a pause, not a new rate.
      if (interval <= 2.5 * before) reading.period = 0.7 * before + 0.3 * interval;
    }
    return before === null || Math.abs((reading.period ?? 0) - before) > 0.1 * before;
  }

  /** The reader is gone (its client closed): its reads no longer count. */
  forget(reader: object): void {
    this.readings.delete(reader);
  }

  /**
   * When `group` should next be read (sent), for its most demanding reader to find it fresh: that
   * reader's next expected read less `leadMs` (the read's own duration and a margin). Infinity when
   * no reader with a known rate reads it any more. A read already made for that next read (at or after
   * `polledAt`) moves it on by the reader's period: a late reader is not polled for every poll_ms.
   */
  dueAt(group: ReadGroup, now: number, leadMs: number, polledAt = Number.NEGATIVE_INFINITY): number {
    const pacer = this.pacer(group, now);
    if (!pacer || pacer.period === null) return Number.POSITIVE_INFINITY;
    const period = Math.max(pacer.period, this.options.pollMs);
    let next = pacer.burstStart + period - leadMs;
    if (next <= polledAt) next += Math.ceil((polledAt - next + 1) / period) * period;
    return next;
  }

  /**
   * The reader a part's polls are timed for: the fastest (readers within 10% of it count as as fast,
   * and the first of those keeps the part, so that the polls do not hop between their phases).
   */
  private pacer(group: ReadGroup, now: number): Reading | undefined {
    const known = this.readers(group, now).filter((r) => r.period !== null);
    if (known.length === 0) return undefined;
    const fastest = Math.min(...known.map((r) => r.period!));
    return known.find((r) => r.period! <= fastest * 1.1);
  }

  /**
   * The oldest a value of `group` may be to answer a read of it now. With one reader, fresh enough for
   * it to see a change within its own period plus SINGLE_READER_AGE_MS; with several, the most
   * demanding reader's period and its jitter (each then sees a change within its own period plus that).
   */
  maxAgeMs(group: ReadGroup, now: number): number {
    const floor = Math.max(SINGLE_READER_AGE_MS, this.options.pollMs);
    const readers = this.readers(group, now);
    if (readers.length <= 1) return floor;
    const periods = readers.map((r) => r.period ?? Number.POSITIVE_INFINITY);
    const fastest = Math.min(...periods);
    return Number.isFinite(fastest) ? Math.max(floor, fastest + PERIOD_JITTER_MS) : floor;
  }

  /** The parts some client reads now, with how many clients read each. */
  summary(now: number): Partial<Record<ReadGroup, number>> {
    const out: Partial<Record<ReadGroup, number>> = {};
    for (const client of this.readings.values())
      for (const [group, reading] of client.parts)
        if (this.active(reading, now)) out[group] = (out[group] ?? 0) + 1;
    return out;
  }

  private readers(group: ReadGroup, now: number): Reading[] {
    const out: Reading[] = [];
    for (const client of this.readings.values()) {
      const reading = client.parts.get(group);
      if (reading && this.active(reading, now)) out.push(reading);
    }
    return out;
  }

  private active(reading: Reading, now: number): boolean {
    return now - reading.last <= Math.max(MIN_IDLE_MS, 2.5 * (reading.period ?? 0));
  }
}
