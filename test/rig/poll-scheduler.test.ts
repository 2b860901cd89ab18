import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/gateway/rig/clock.js';
import { Demand } from '../../src/gateway/rig/demand.js';
import { PollScheduler } from '../../src/gateway/rig/poll-scheduler.js';
import type { ReadGroup } from '../../src/model/rig.js';

const POLL_MS = 250;
const READ_MS = 20;
const LEAD_MS = 70;

const fakeClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

describe('PollScheduler', () => {
  let demand: Demand;
  let scheduler: PollScheduler;
  let polls: { at: number; groups: ReadGroup[] }[];
  let keyed: boolean;
  const polledAt = new Map<ReadGroup, number>();

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    demand = new Demand({ pollMs: POLL_MS });
    polls = [];
    keyed = false;
    polledAt.clear();
    scheduler = new PollScheduler({
      clock: fakeClock,
      demand,
      pollMs: POLL_MS,
      read: async (groups) => {
        polls.push({ at: Date.now(), groups: [...groups] });
        for (const group of groups) polledAt.set(group, Date.now());
        await new Promise((resolve) => setTimeout(resolve, READ_MS));
        return true;
      },
      lastPolled: (group) => polledAt.get(group) ?? Number.NEGATIVE_INFINITY,
      forced: () => new Set<ReadGroup>(keyed ? ['ptt'] : []),
      leadMs: () => LEAD_MS,
    });
    scheduler.start();
  });
  afterEach(() => {
    scheduler.stop();
    vi.useRealTimers();
  });

  /** A client reading `groups` every `period` ms from `from`; returns its stop. */
  function client(reader: object, groups: ReadGroup[], period: number, from: number): () => void {
    const read = () => {
      for (const group of groups) demand.note(reader, group, Date.now());
      scheduler.wake();
    };
    let interval: NodeJS.Timeout | undefined;
    const start = setTimeout(() => {
      read();
      interval = setInterval(read, period);
    }, from);
    return () => {
      clearTimeout(start);
      clearInterval(interval);
    };
  }

  it('sends nothing while nobody reads', async () => {
    await vi.advanceTimersByTimeAsync(60_000);
    expect(polls).toEqual([]);
  });

  it('reads only the parts a client reads, once per its period, just before it reads', async () => {
    const stop = client({}, ['vfoA'], 1000, 0);
    await vi.advanceTimersByTimeAsync(10_050);
    stop();
    expect(polls.every((p) => p.groups.join() === 'vfoA')).toBe(true);
    // The first two reads teach the rate; from then on one poll per client read.
    expect(polls.length).toBeGreaterThanOrEqual(8);
    expect(polls.length).toBeLessThanOrEqual(10);
    for (const poll of polls) expect(1000 - (poll.at % 1000)).toBe(LEAD_MS);
  });

  it('serves several clients reading at other phases with the fastest one’s polls', async () => {
    const wsjtx = client({}, ['vfoA', 'vfo', 'split', 'ptt'], 1000, 0);
    const logger = client({}, ['vfoA', 'ptt'], 1000, 430);
    await vi.advanceTimersByTimeAsync(10_050);
    wsjtx();
    logger();
    const ptt = polls.filter((p) => p.groups.includes('ptt'));
    // One client's rate, not two: about ten polls of PTT in ten seconds.
    expect(ptt.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < polls.length; i++)
      expect(polls[i]!.at - polls[i - 1]!.at).toBeGreaterThanOrEqual(POLL_MS - 1);
  });

  it('reads PTT every poll_ms while keyed, whoever reads it, and stops when unkeyed', async () => {
    keyed = true;
    scheduler.wake();
    await vi.advanceTimersByTimeAsync(2000);
    expect(polls.length).toBeGreaterThanOrEqual(7);
    expect(polls.every((p) => p.groups.join() === 'ptt')).toBe(true);
    keyed = false;
    const before = polls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(polls.length - before).toBeLessThanOrEqual(1);
  });

  it('reads a written part back once, then stops', async () => {
    scheduler.readSoon('vfoB');
    await vi.advanceTimersByTimeAsync(5000);
    expect(polls).toEqual([{ at: 0, groups: ['vfoB'] }]);
  });

  it('stops polling a part its client stopped reading', async () => {
    const stop = client({}, ['vfoA'], 1000, 0);
    await vi.advanceTimersByTimeAsync(5050);
    stop();
    const before = polls.length;
    await vi.advanceTimersByTimeAsync(20_000);
    // Polled for the next two reads it would have made, then not at all.
    expect(polls.length - before).toBeLessThanOrEqual(2);
    expect(polls.at(-1)!.at).toBeLessThan(8000);
  });
});
