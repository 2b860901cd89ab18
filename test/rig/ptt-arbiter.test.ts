import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/gateway/rig/clock.js';
import { PttArbiter, type PttClient } from '../../src/gateway/rig/ptt-arbiter.js';

const GRACE_MS = 1000;

const fakeClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

class Port implements PttClient {
  watchdogStops = 0;
  constructor(readonly portName: string) {}
  stopWatchdog(): void {
    this.watchdogStops++;
  }
}

describe('PttArbiter', () => {
  let arbiter: PttArbiter<Port>;
  let keyed: boolean;
  let lostAt: number | null;
  let connected: boolean;
  let unkeyAnswers: boolean[];
  let sent: string[];
  let owners: (string | null)[];
  const a = new Port('a');

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    keyed = false;
    lostAt = null;
    connected = true;
    unkeyAnswers = [];
    sent = [];
    owners = [];
    const answer = async (what: string) => {
      sent.push(what);
      const ok = unkeyAnswers.shift() ?? true;
      if (ok) keyed = false;
      return ok;
    };
    arbiter = new PttArbiter<Port>({
      clock: fakeClock,
      graceMs: GRACE_MS,
      radioKeyed: () => keyed,
      lostForMs: () => (lostAt === null ? null : Date.now() - lostAt),
      connected: () => connected,
      issueUnkey: (port) => answer(`issue ${port.portName}`),
      sendUnkey: (port) => answer(`send ${port.portName}`),
      anyPort: () => a,
      markUnkeyed: () => {
        keyed = false;
      },
      ownerChanged: (owner) => owners.push(owner?.portName ?? null),
      warn: () => {},
    });
    arbiter.start();
  });
  afterEach(() => {
    arbiter.stop();
    vi.useRealTimers();
  });

  it('one owner at a time; a new owner stops the old one’s watchdog', () => {
    const b = new Port('b');
    arbiter.setOwner(a);
    arbiter.setOwner(b);
    arbiter.setOwner(b);
    expect(owners).toEqual(['a', 'b']);
    expect(a.watchdogStops).toBe(1);
    expect(arbiter.owner).toBe(b);
  });

  it('unkeys a radio unreadable past grace_ms while keyed, again until it confirms, then clears the owner', async () => {
    arbiter.setOwner(a);
    keyed = true;
    lostAt = 0;
    unkeyAnswers = [false, false];
    await vi.advanceTimersByTimeAsync(GRACE_MS - 10);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toEqual(['send a']);
    expect(arbiter.owner).toBe(a); // not confirmed yet
    await vi.advanceTimersByTimeAsync(600);
    expect(sent).toEqual(['send a', 'send a', 'send a']);
    expect(arbiter.owner).toBeNull();
    expect(keyed).toBe(false);
  });

  it('owes the unkey to the reconnect when the link itself is down, and pays it first', async () => {
    arbiter.setOwner(a);
    keyed = true;
    arbiter.linkLost();
    expect(arbiter.owner).toBeNull();
    connected = false;
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([]);
    connected = true;
    arbiter.linkBack();
    expect(sent).toEqual(['issue a']);
    arbiter.linkBack();
    expect(sent).toEqual(['issue a']);
  });

  it('a refused unkey is tried again three times on a live link, and owed to the next reconnect', async () => {
    unkeyAnswers = [false, false, false];
    for (let i = 0; i < 4; i++) {
      arbiter.unkeyFailed(a);
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(sent).toEqual(['issue a', 'issue a', 'issue a']);
    arbiter.linkBack();
    expect(sent.length).toBe(4);
    arbiter.unkeyConfirmed();
    arbiter.linkBack();
    expect(sent.length).toBe(4);
  });

  it('a failed key-up leaves nobody owning PTT and the cache unkeyed', () => {
    arbiter.setOwner(a);
    keyed = true;
    arbiter.keyFailed(a);
    expect(arbiter.owner).toBeNull();
    expect(keyed).toBe(false);
  });
});
