import { READ_GROUPS, type ReadGroup } from '../../model/rig.js';
import type { Clock } from './clock.js';
import type { Demand } from './demand.js';

export interface PollSchedulerOptions {
  clock: Clock;
  demand: Demand;
  /** Nothing is polled more often than this (config poll_ms). */
  pollMs: number;
  /** Reads these parts from the backend; resolves when the read is over. */
  read(groups: ReadonlySet<ReadGroup>): Promise<boolean>;
  /** When a read of the part last started, successful or not (-Infinity: never). */
  lastPolled(group: ReadGroup): number;
  /** Parts polled every pollMs whatever the demand (PTT while the radio may be keyed). */
  forced(): ReadonlySet<ReadGroup>;
  /** How long before a reader's next read its poll should leave: the read's duration and a margin. */
  leadMs(): number;
}

/** Parts due within this much of the earliest are read with it, in the same backend round. */
const BATCH_MS = 50;

/**
 * Demand-driven polling (DESIGN.md): one poll at a time, of only the parts some client reads (or that
 * are forced), each timed to land just before its most demanding reader reads it, and none read more
 * often than pollMs. With nobody reading, it sends nothing at all.
 */
export class PollScheduler {
  private timer: unknown;
  private polling = false;
  private stopped = true;
  /** Parts to read back soon whatever the demand (a write was just confirmed). */
  private readonly soon = new Set<ReadGroup>();

  constructor(private readonly options: PollSchedulerOptions) {}

  start(): void {
    this.stopped = false;
    this.plan();
  }

  stop(): void {
    this.stopped = true;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The demand changed (a new reader, a new rate, a keyed radio): plan again. */
  wake(): void {
    if (!this.polling) this.plan();
  }

  /** Reads `group` again at the next chance (no sooner than pollMs after its last read). */
  readSoon(group: ReadGroup): void {
    this.soon.add(group);
    this.wake();
  }

  /** When each part is next due (Infinity: not polled); for status and tests. */
  dueTimes(): Map<ReadGroup, number> {
    const { demand, clock, pollMs } = this.options;
    const now = clock.now();
    const lead = this.options.leadMs();
    const forced = this.options.forced();
    const due = new Map<ReadGroup, number>();
    for (const group of READ_GROUPS) {
      const last = this.options.lastPolled(group);
      let at = demand.dueAt(group, now, lead, last);
      if (forced.has(group)) at = Math.min(at, last + pollMs);
      if (this.soon.has(group)) at = Math.min(at, now);
      if (at !== Number.POSITIVE_INFINITY) at = Math.max(at, last + pollMs);
      due.set(group, at);
    }
    return due;
  }

  private plan(): void {
    if (this.stopped) return;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const due = this.dueTimes();
    const first = Math.min(...due.values());
    if (first === Number.POSITIVE_INFINITY) return;
    const now = this.options.clock.now();
    if (first > now) {
      this.timer = this.options.clock.setTimeout(() => this.plan(), first - now);
      return;
    }
    const groups = new Set<ReadGroup>();
    for (const [group, at] of due) if (at <= now + BATCH_MS) groups.add(group);
    for (const group of groups) this.soon.delete(group);
    this.polling = true;
    void this.options.read(groups).finally(() => {
      this.polling = false;
      this.plan();
    });
  }
}
