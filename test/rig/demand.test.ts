import { describe, expect, it } from 'vitest';
import { Demand, SINGLE_READER_AGE_MS } from '../../src/gateway/rig/demand.js';

const POLL_MS = 250;

/** A client reading `group` every `period` ms from `start`, `times` times. */
function reads(demand: Demand, reader: object, period: number, start: number, times: number): number {
  let at = start;
  for (let i = 0; i < times; i++, at += period) demand.note(reader, 'vfoA', at);
  return at - period;
}

describe('Demand', () => {
  it('polls nothing nobody reads, and nothing for a reader whose rate is not known yet', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    expect(demand.dueAt('vfoA', 0, 50)).toBe(Number.POSITIVE_INFINITY);
    demand.note({}, 'vfoA', 0);
    expect(demand.dueAt('vfoA', 10, 50)).toBe(Number.POSITIVE_INFINITY);
  });

  it("times a part's read just before its reader's next read", () => {
    const demand = new Demand({ pollMs: POLL_MS });
    const last = reads(demand, {}, 1000, 0, 4);
    expect(demand.dueAt('vfoA', last + 1, 80)).toBeCloseTo(last + 1000 - 80, 5);
    // Other parts stay unpolled.
    expect(demand.dueAt('ptt', last + 1, 80)).toBe(Number.POSITIVE_INFINITY);
  });

  it('a client reading without pause still has a rate (an exchange lasts at most 500 ms)', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    const last = reads(demand, {}, 20, 0, 100);
    expect(demand.dueAt('vfoA', last + 1, 0)).toBeLessThanOrEqual(last + 500);
  });

  it('one poll cycle of a client is one exchange, whatever it reads in it (f, m, v, s, t)', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    const reader = {};
    for (let t = 0; t <= 3000; t += 1000) {
      demand.note(reader, 'vfoA', t); // f
      demand.note(reader, 'vfoA', t + 60); // m, after f's answer
      demand.note(reader, 'vfo', t + 120); // v
      demand.note(reader, 'vfoA', t + 180); // an IF that reads VFO A again
    }
    expect(demand.dueAt('vfoA', 3200, 0)).toBeCloseTo(4000, 5);
  });

  it('reads that close together are one exchange, not a faster rate', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    const reader = {};
    for (let t = 0; t <= 3000; t += 1000) {
      demand.note(reader, 'vfoA', t); // f
      demand.note(reader, 'vfoA', t + 4); // m, same part
    }
    expect(demand.dueAt('vfoA', 3005, 0)).toBeCloseTo(4000, 5);
  });

  it('follows the most demanding reader, and never asks faster than poll_ms', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    reads(demand, {}, 5000, 0, 3); // a logger every 5 s, last at 10000
    const last = reads(demand, {}, 1000, 7300, 3); // WSJT-X every second, last at 9300
    expect(demand.dueAt('vfoA', 10_001, 50)).toBeCloseTo(last + 1000 - 50, 5);
    const fast = new Demand({ pollMs: POLL_MS });
    const at = reads(fast, {}, 150, 0, 10);
    expect(fast.dueAt('vfoA', at + 1, 0)).toBeCloseTo(at + POLL_MS, 5);
  });

  it('forgets a part its reader stopped reading, and a reader that is gone', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    const reader = {};
    const last = reads(demand, reader, 1000, 0, 3);
    expect(demand.dueAt('vfoA', last + 2400, 0)).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(demand.dueAt('vfoA', last + 2600, 0)).toBe(Number.POSITIVE_INFINITY);
    const other = {};
    const again = reads(demand, other, 1000, 10_000, 3);
    demand.forget(other);
    expect(demand.dueAt('vfoA', again + 1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(demand.summary(again + 1)).toEqual({});
  });

  it('an exchange cut in two (its client held for a fresh read) is not a faster rate; three are', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    const reader = {};
    const last = reads(demand, reader, 1000, 0, 4); // 3000
    demand.note(reader, 'vfoA', last + 200); // after a 200 ms hold: a new exchange
    expect(demand.dueAt('vfoA', last + 201, 0)).toBeCloseTo(last + 200 + 1000, 5);
    demand.note(reader, 'vfoA', last + 400);
    demand.note(reader, 'vfoA', last + 600);
    expect(demand.dueAt('vfoA', last + 601, 0)).toBeCloseTo(last + 600 + POLL_MS, 5);
  });

  it('a pause is not a rate: reading resumes at the old rate', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    const reader = {};
    const last = reads(demand, reader, 1000, 0, 4);
    demand.note(reader, 'vfoA', last + 30_000);
    expect(demand.dueAt('vfoA', last + 30_001, 0)).toBeCloseTo(last + 31_000, 5);
  });

  it('allows a single reader only young values, several the fastest reader period', () => {
    const demand = new Demand({ pollMs: POLL_MS });
    reads(demand, {}, 1000, 0, 3);
    expect(demand.maxAgeMs('vfoA', 2001)).toBe(SINGLE_READER_AGE_MS);
    reads(demand, {}, 1000, 500, 3);
    expect(demand.maxAgeMs('vfoA', 2501)).toBeCloseTo(1150, 5);
    expect(demand.summary(2501)).toEqual({ vfoA: 2 });
    // Never younger than poll_ms allows.
    expect(new Demand({ pollMs: 1000 }).maxAgeMs('ptt', 0)).toBe(1000);
  });
});
