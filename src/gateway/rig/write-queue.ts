import { type Clock, systemClock } from './clock.js';
import { type Field, type FieldValue, sameValue } from './fields.js';

/** One write on its way to the backend, and everyone waiting for its outcome. */
export interface QueuedWrite<Origin> {
  value: FieldValue;
  /** Who asked last (a coalesced write belongs to whoever wrote its latest value). */
  origin: Origin;
  /** Checked when the write's turn comes; false drops it unsent (a PTT-on whose port no longer may key). */
  precondition?: () => boolean;
  waiters: ((ok: boolean) => void)[];
}

/** Why a queued write never reached the backend. */
export type DropReason = 'precondition' | 'superseded by an unkey';

export interface WriteQueueHooks<Origin> {
  /** Sends one write; rejects when the backend refused or failed it. */
  send(value: FieldValue, origin: Origin): Promise<void>;
  /** After each send (ok or not), with the error when it failed. */
  settled?(write: QueuedWrite<Origin>, ok: boolean, ms: number, error?: Error): void;
  dropped?(write: QueuedWrite<Origin>, reason: DropReason): void;
}

function isUnkey(value: FieldValue): boolean {
  return value.field === 'ptt' && !value.on;
}

/**
 * The writes of every port to one backend (DESIGN.md "rig/"), in the order the ports released them,
 * with two rules that keep the radio close to what the clients said and a transmitter never keyed
 * longer than asked:
 * - **Coalesced per field.** Only the latest value of a field that is still waiting matters: a new
 *   write to it replaces the waiting one in its place (a PTT-on moves to the back: it keys after every
 *   write made before it). So at most one write per field waits, the queue
 *   is bounded by the number of fields, and no field waits behind more than one write of each other
 *   field: a port never runs more than a few round trips ahead of the radio, whatever a client floods
 *   it with. (Moving a rewritten field to the back instead let a field that is rewritten faster than
 *   the radio answers be overtaken again and again: seconds behind under a fuzz load.)
 * - **An unkey is never queued behind anything.** A PTT-off drops any waiting PTT-on and goes to the
 *   backend at once, beside the write already in flight (the rigctld link puts it ahead of its own
 *   queue too); the other writes wait for it.
 * Pure bookkeeping and promises: no timers; the clock (injected) only times each send.
 */
export class WriteQueue<Origin> {
  private readonly waiting: QueuedWrite<Origin>[] = [];
  private inFlight: QueuedWrite<Origin> | null = null;
  private unkeyInFlight: QueuedWrite<Origin> | null = null;
  private stopped = false;

  constructor(
    private readonly hooks: WriteQueueHooks<Origin>,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  /** Queues a write; resolves true once the backend confirmed it, false if it failed or was dropped. */
  enqueue(value: FieldValue, origin: Origin, precondition?: () => boolean): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      if (isUnkey(value)) {
        this.enqueueUnkey(value, origin, resolve);
      } else {
        const index = this.waiting.findIndex((w) => w.value.field === value.field);
        const earlier = index >= 0 ? this.waiting[index]! : null;
        if (earlier && value.field !== 'ptt') {
          Object.assign(earlier, { value, origin, precondition }).waiters.push(resolve);
        } else {
          // A PTT-on goes after every write made before it (the frequency a client sets before it
          // keys is on the radio first), so a repeated one moves to the back.
          if (earlier) this.waiting.splice(index, 1);
          this.waiting.push({ value, origin, precondition, waiters: [...(earlier?.waiters ?? []), resolve] });
        }
      }
      this.pump();
    });
  }

  /** Whether a write to the field is waiting or in flight (a poll must not overwrite it with older news). */
  outstanding(field: Field): boolean {
    return (
      this.inFlight?.value.field === field ||
      this.unkeyInFlight?.value.field === field ||
      this.waiting.some((w) => w.value.field === field)
    );
  }

  /** Writes waiting or in flight. */
  get size(): number {
    return this.waiting.length + (this.inFlight ? 1 : 0) + (this.unkeyInFlight ? 1 : 0);
  }

  /** Resolves once nothing waits and nothing is in flight. */
  async drained(): Promise<void> {
    while (this.size > 0) {
      const current = [this.inFlight, this.unkeyInFlight, ...this.waiting].filter(
        (w): w is QueuedWrite<Origin> => w !== null,
      );
      await Promise.all(current.map((w) => new Promise<void>((resolve) => w.waiters.push(() => resolve()))));
    }
  }

  /** Drops every waiting write (shutdown after the unkey); what is in flight finishes. */
  stop(): void {
    this.stopped = true;
    for (const write of this.waiting.splice(0)) this.finish(write, false);
  }

  private enqueueUnkey(value: FieldValue, origin: Origin, resolve: (ok: boolean) => void): void {
    // A PTT-on still waiting is moot: the radio must end up unkeyed.
    const index = this.waiting.findIndex((w) => w.value.field === 'ptt');
    if (index >= 0) {
      const keyUp = this.waiting.splice(index, 1)[0]!;
      this.hooks.dropped?.(keyUp, 'superseded by an unkey');
      this.finish(keyUp, false);
    }
    if (this.unkeyInFlight && sameValue(this.unkeyInFlight.value, value)) {
      // One unkey on the wire already: a second one waits for it and goes after (never lost).
      this.waiting.unshift({ value, origin, waiters: [resolve] });
      return;
    }
    const write: QueuedWrite<Origin> = { value, origin, waiters: [resolve] };
    this.unkeyInFlight = write;
    void this.dispatch(write).then(() => {
      this.unkeyInFlight = null;
      this.pump();
    });
  }

  private pump(): void {
    // Nothing goes beside an unkey in flight but the write that was already there.
    if (this.inFlight || this.unkeyInFlight || this.stopped) return;
    const next = this.waiting.shift();
    if (!next) return;
    if (isUnkey(next.value)) {
      this.unkeyInFlight = next;
      void this.dispatch(next).then(() => {
        this.unkeyInFlight = null;
        this.pump();
      });
      return;
    }
    if (next.precondition && !next.precondition()) {
      this.hooks.dropped?.(next, 'precondition');
      this.finish(next, false);
      this.pump();
      return;
    }
    this.inFlight = next;
    void this.dispatch(next).then(() => {
      this.inFlight = null;
      this.pump();
    });
  }

  private async dispatch(write: QueuedWrite<Origin>): Promise<void> {
    const started = this.clock.now();
    try {
      await this.hooks.send(write.value, write.origin);
      this.hooks.settled?.(write, true, this.clock.now() - started);
      this.finish(write, true);
    } catch (err) {
      this.hooks.settled?.(write, false, this.clock.now() - started, err as Error);
      this.finish(write, false);
    }
  }

  private finish(write: QueuedWrite<Origin>, ok: boolean): void {
    for (const waiter of write.waiters.splice(0)) waiter(ok);
  }
}
