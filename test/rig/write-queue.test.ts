import { describe, expect, it } from 'vitest';
import { describeValue, type FieldValue } from '../../src/gateway/rig/fields.js';
import { WriteQueue } from '../../src/gateway/rig/write-queue.js';

/** A backend whose calls finish only when the test says so, recording what was sent and in which order. */
function scriptedSend() {
  const sent: string[] = [];
  const open: { value: FieldValue; finish: (ok: boolean) => void }[] = [];
  const send = (value: FieldValue) =>
    new Promise<void>((resolve, reject) => {
      sent.push(describeValue(value));
      open.push({ value, finish: (ok) => (ok ? resolve() : reject(new Error('refused'))) });
    });
  /** Finishes the oldest call still open. */
  const answer = async (ok = true) => {
    open.shift()!.finish(ok);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sent, open, send, answer };
}

const freq = (hz: number): FieldValue => ({ field: 'freqA', hz });
const ptt = (on: boolean): FieldValue => ({ field: 'ptt', on });

describe('WriteQueue', () => {
  it('times each send on the injected clock, ok or failed', async () => {
    const backend = scriptedSend();
    let now = 1000;
    const settled: [string, boolean, number][] = [];
    const queue = new WriteQueue<string>(
      { send: backend.send, settled: (write, ok, ms) => settled.push([describeValue(write.value), ok, ms]) },
      { now: () => now },
    );
    void queue.enqueue(freq(7_074_000), 'a');
    void queue.enqueue(ptt(true), 'a');
    now += 120;
    await backend.answer();
    now += 45;
    await backend.answer(false);
    expect(settled).toEqual([
      ['freqA=7074000', true, 120],
      ['ptt=on', false, 45],
    ]);
  });

  it('coalesces per field: a flood of FA;TX; pairs leaves one frequency and one PTT waiting', async () => {
    const backend = scriptedSend();
    const queue = new WriteQueue<string>({ send: backend.send });
    const results: Promise<boolean>[] = [];
    for (let i = 1; i <= 500; i++) {
      results.push(queue.enqueue(freq(14_074_000 + i), 'ts2000'));
      results.push(queue.enqueue(ptt(true), 'ts2000'));
    }
    expect(queue.size).toBe(3); // the first frequency in flight, the latest frequency and PTT-on waiting
    await backend.answer();
    await backend.answer();
    await backend.answer();
    expect(backend.sent).toEqual(['freqA=14074001', 'freqA=14074500', 'ptt=on']);
    expect(await Promise.all(results)).toEqual(results.map(() => true));
  });

  it('a field rewritten faster than the radio answers keeps its place: no field is overtaken for ever', async () => {
    const backend = scriptedSend();
    const queue = new WriteQueue<string>({ send: backend.send });
    void queue.enqueue(freq(1), 'a'); // in flight
    void queue.enqueue({ field: 'modeA', mode: 'USB', passband: 0 }, 'a');
    void queue.enqueue({ field: 'vfo', vfo: 'VFOB' }, 'a');
    // Each answer brings a new frequency and a new mode: both keep their places in the queue.
    for (let i = 2; i <= 4; i++) {
      void queue.enqueue(freq(i), 'a');
      void queue.enqueue({ field: 'modeA', mode: i % 2 ? 'LSB' : 'USB', passband: i }, 'a');
      await backend.answer();
    }
    expect(backend.sent.slice(0, 4)).toEqual(['freqA=1', 'modeA=USB/2', 'vfo=VFOB', 'freqA=4']);
  });

  it('sends an unkey at once, beside the write in flight, and drops a waiting PTT-on', async () => {
    const backend = scriptedSend();
    const queue = new WriteQueue<string>({ send: backend.send });
    const first = queue.enqueue(freq(7_074_000), 'a');
    const keyUp = queue.enqueue(ptt(true), 'a');
    const later = queue.enqueue({ field: 'modeA', mode: 'USB', passband: 0 }, 'a');
    const unkey = queue.enqueue(ptt(false), 'a');
    expect(backend.sent).toEqual(['freqA=7074000', 'ptt=off']);
    expect(await keyUp).toBe(false);
    await backend.answer(); // the frequency
    expect(backend.sent).toEqual(['freqA=7074000', 'ptt=off']); // nothing goes beside the unkey
    await backend.answer(); // the unkey
    expect(await unkey).toBe(true);
    expect(await first).toBe(true);
    expect(backend.sent).toEqual(['freqA=7074000', 'ptt=off', 'modeA=USB/0']);
    await backend.answer();
    expect(await later).toBe(true);
  });

  it('a second unkey while one is on the wire is sent after it, never lost', async () => {
    const backend = scriptedSend();
    const queue = new WriteQueue<string>({ send: backend.send });
    const one = queue.enqueue(ptt(false), 'a');
    const two = queue.enqueue(ptt(false), 'b');
    await backend.answer(false); // the first unkey fails
    expect(await one).toBe(false);
    expect(backend.sent).toEqual(['ptt=off', 'ptt=off']);
    await backend.answer();
    expect(await two).toBe(true);
  });

  it('drops a write whose precondition fails when its turn comes (a PTT-on of a port that lost PTT)', async () => {
    const backend = scriptedSend();
    const dropped: string[] = [];
    const queue = new WriteQueue<string>({
      send: backend.send,
      dropped: (w, reason) => dropped.push(`${describeValue(w.value)}: ${reason}`),
    });
    let owner = true;
    void queue.enqueue(freq(14_074_000), 'a');
    const keyUp = queue.enqueue(ptt(true), 'a', () => owner);
    owner = false;
    await backend.answer();
    expect(await keyUp).toBe(false);
    expect(backend.sent).toEqual(['freqA=14074000']);
    expect(dropped).toEqual(['ptt=on: precondition']);
  });

  it('reports outstanding fields and drains', async () => {
    const backend = scriptedSend();
    const queue = new WriteQueue<string>({ send: backend.send });
    void queue.enqueue(freq(1), 'a');
    void queue.enqueue({ field: 'vfo', vfo: 'VFOB' }, 'a');
    expect(queue.outstanding('freqA')).toBe(true);
    expect(queue.outstanding('vfo')).toBe(true);
    expect(queue.outstanding('modeA')).toBe(false);
    let drained = false;
    void queue.drained().then(() => {
      drained = true;
    });
    await backend.answer();
    expect(drained).toBe(false);
    await backend.answer();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(true);
    expect(queue.size).toBe(0);
  });

  it('stop() drops what waits; nothing is accepted after it', async () => {
    const backend = scriptedSend();
    const queue = new WriteQueue<string>({ send: backend.send });
    const inFlight = queue.enqueue(freq(1), 'a');
    const waiting = queue.enqueue({ field: 'vfo', vfo: 'VFOB' }, 'a');
    queue.stop();
    expect(await waiting).toBe(false);
    expect(await queue.enqueue(freq(2), 'a')).toBe(false);
    await backend.answer();
    expect(await inFlight).toBe(true);
    expect(backend.sent).toEqual(['freqA=1']);
  });
});
