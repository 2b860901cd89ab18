import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { SharedRig, SharedRigOptions } from '../../src/gateway/rig/shared-rig.js';
import { settled, sleep, until, useFakeTime } from '../support/fake-time.js';
import { OPEN_POLICY, type ScriptedBackend, startScriptedRig } from '../support/scripted-backend.js';

const policy = OPEN_POLICY;

describe('SharedRig', () => {
  let rig: SharedRig;
  let backend: ScriptedBackend;
  const make = (overrides: Partial<SharedRigOptions> = {}) => {
    ({ rig, backend } = startScriptedRig(overrides));
    return rig;
  };
  beforeEach(() => {
    useFakeTime();
  });
  afterEach(async () => {
    if (rig) await settled(rig.close(200));
    vi.useRealTimers();
  });

  it('answers the writing port its own value at once and reaches the backend after the settle window', async () => {
    make();
    const port = rig.portRig('a', policy);
    const other = rig.portRig('b', policy);
    expect(port.setFreq('VFOA', 7_074_055)).toBe('accepted');
    expect(port.view().freqA).toBe(7_074_055);
    // Other ports read the radio's value while the write is held.
    expect(other.view().freqA).toBe(14_074_000);
    await sleep(100);
    expect(backend.calls).toEqual([]);
    await until(() => backend.radio.freqA === 7_074_055, 400);
    expect(backend.calls).toEqual(['setFreq VFOA 7074055']);
    expect(other.view().freqA).toBe(7_074_055);
  });

  it('unkeys a radio that cannot be read past grace_ms while keyed; the owner stays until it confirms', async () => {
    make({ graceMs: 300 });
    await until(() => rig.radioKnown, 1000, 'radio read');
    const port = rig.portRig('a', policy);
    rig.clientAttached();
    expect(port.setPtt(true)).toBe('accepted');
    await until(() => backend.radio.ptt, 500, 'keyed');
    backend.failReads = true; // rigctld up, its radio silent
    backend.failWrites = true; // and the first unkeys refused
    await until(() => backend.calls.includes('setPtt false'), 1000, 'unkey tried');
    expect(rig.pttHolder).toBe(port); // not confirmed: still owned, still shown keyed
    const tries = () => backend.calls.filter((c) => c === 'setPtt false').length;
    await until(() => tries() >= 2, 1000, 'unkey tried again');
    backend.failWrites = false;
    await until(() => !backend.radio.ptt && rig.pttHolder === null, 1000, 'unkeyed and released');
  });

  it('drops a write that its port reverts within the window (probes never move the radio)', async () => {
    make();
    const port = rig.portRig('a', policy);
    port.setFreq('VFOA', 14_074_055);
    port.setFreq('VFOA', 14_074_051);
    port.setFreq('VFOA', 14_074_000);
    port.selectVfo('VFOB');
    port.setMode('VFOB', 'CW', 500);
    port.selectVfo('VFOA');
    port.setSplit(false, 'VFOA');
    await sleep(400);
    expect(backend.calls).toEqual(['setMode VFOB CW 500']);
  });

  it('discards a poll result for a field written after the poll was sent', async () => {
    make({ settleMs: 0 });
    backend.latencyMs = 60;
    const port = rig.portRig('a', policy);
    await sleep(20); // a poll is in flight, reading the old frequency
    port.setFreq('VFOA', 3_573_000);
    for (let i = 0; i < 20; i++) {
      expect(port.view().freqA).toBe(3_573_000);
      await sleep(10);
    }
    expect(backend.radio.freqA).toBe(3_573_000);
  });

  it('reconciles a failed write from the backend', async () => {
    make({ settleMs: 0 });
    const port = rig.portRig('a', policy);
    backend.failWrites = true;
    port.setFreq('VFOA', 1_840_000);
    expect(port.view().freqA).toBe(1_840_000);
    await until(() => port.view().freqA === 14_074_000);
  });

  it("sees a change made at the radio within the reader's period + 300 ms (one reader)", async () => {
    make();
    const port = rig.portRig('a', policy);
    expect(await settled(rig.clientAttached())).toBe(true);
    // Polled because a client reads it (demand-driven polling): one reading every 100 ms.
    const reading = setInterval(() => port.freq('VFOA'), 100);
    try {
      await sleep(1000);
      expect(port.view().freqA).toBe(14_074_000);
      backend.radio.freqA = 21_074_000;
      await until(() => port.view().freqA === 21_074_000, 400, 'change seen');
    } finally {
      clearInterval(reading);
    }
  });

  it('lets one port transmit at a time and flushes held writes before keying', async () => {
    make();
    const a = rig.portRig('a', policy);
    const b = rig.portRig('b', policy);
    a.setFreq('VFOA', 7_074_000);
    expect(a.setPtt(true)).toBe('accepted');
    expect(b.setPtt(true)).toBe('refused');
    // A stray RX from another port does not unkey the transmitter.
    expect(b.setPtt(false)).toBe('accepted');
    await until(() => backend.radio.ptt);
    expect(backend.calls).toEqual(['setFreq VFOA 7074000', 'setPtt true']);
    expect(a.setPtt(false)).toBe('accepted');
    await until(() => !backend.radio.ptt);
  });

  it('does not key when a write flushed ahead of PTT failed', async () => {
    make();
    const a = rig.portRig('a', policy);
    a.setFreq('VFOA', 7_074_000);
    backend.failWrites = true;
    a.setPtt(true);
    await sleep(100);
    backend.failWrites = false;
    await sleep(100);
    expect(backend.calls.filter((c) => c === 'setPtt true')).toEqual([]);
    expect(backend.radio.ptt).toBe(false);
    expect(a.view().ptt).toBe(false);
  });

  it('releases PTT when the keying port closes', async () => {
    make();
    const a = rig.portRig('a', policy);
    a.setPtt(true);
    await until(() => backend.radio.ptt);
    a.clientClosed();
    await until(() => !backend.radio.ptt, 1000);
  });

  it('releases PTT after max_seconds (watchdog)', async () => {
    make();
    const a = rig.portRig('a', { ...policy, maxPttSeconds: 0.3 });
    a.setPtt(true);
    await until(() => backend.radio.ptt);
    await until(() => !backend.radio.ptt, 1000);
    expect(rig.pttHolder).toBeNull();
  });

  it('unkeys first thing after the backend comes back from an outage', async () => {
    make();
    const a = rig.portRig('a', policy);
    a.setPtt(true);
    await until(() => backend.radio.ptt);
    backend.drop();
    expect(a.view().ptt).toBe(false);
    expect(a.setPtt(true)).toBe('refused');
    backend.restore();
    await until(() => !backend.radio.ptt, 1000);
    expect(backend.calls.at(-1)).toBe('setPtt false');
  });

  it('retries an unkey the backend refused until the radio is unkeyed', async () => {
    make();
    const a = rig.portRig('a', policy);
    a.setPtt(true);
    await until(() => backend.radio.ptt);
    backend.failWrites = true;
    a.setPtt(false);
    await until(() => backend.calls.filter((c) => c === 'setPtt false').length >= 1, 1000);
    expect(backend.radio.ptt).toBe(true);
    backend.failWrites = false;
    await until(() => !backend.radio.ptt, 1000);
    // Retries stop once the radio confirmed.
    const unkeys = backend.calls.filter((c) => c === 'setPtt false').length;
    await sleep(700);
    expect(backend.calls.filter((c) => c === 'setPtt false').length).toBe(unkeys);
  });

  it('serves the cache through a short outage, then goes offline until the radio is read again', async () => {
    make({ graceMs: 200 });
    const a = rig.portRig('a', policy);
    await until(() => rig.radioKnown);
    backend.drop();
    expect(a.online()).toBe(true);
    await until(() => !a.online(), 1000, 'offline after grace');
    expect(rig.online).toBe(false);
    backend.restore();
    await until(() => a.online(), 1000, 'online after a fresh read');
  });

  it('goes offline when the server stays up but every read fails', async () => {
    make({ graceMs: 100 });
    await until(() => rig.radioKnown);
    const port = rig.portRig('a', policy);
    const reading = setInterval(() => port.ptt(), 100);
    onTestFinished(() => clearInterval(reading));
    const read = backend.read.bind(backend);
    backend.read = () => Promise.reject(new Error('radio does not answer'));
    await until(() => !rig.online, 1500, 'offline after failed reads');
    backend.read = read;
    await until(() => rig.online, 1500, 'online again');
  });

  it('releases PTT on close (shutdown)', async () => {
    make();
    const a = rig.portRig('a', policy);
    a.setPtt(true);
    await until(() => backend.radio.ptt);
    await settled(rig.close(1000));
    expect(backend.calls.at(-1)).toBe('setPtt false');
  });

  it('refuses writes from a read-only port and while the backend is down past the grace period', async () => {
    make({ graceMs: 50 });
    const ro = rig.portRig('ro', { ...policy, readonly: true });
    expect(ro.setFreq('VFOA', 7_000_000)).toBe('refused');
    expect(ro.setPtt(true)).toBe('refused');
    const a = rig.portRig('a', policy);
    backend.drop();
    expect(a.setFreq('VFOA', 7_000_000)).toBe('accepted');
    await sleep(80);
    expect(a.setFreq('VFOA', 7_001_000)).toBe('refused');
  });
});
