import { describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../src/gateway/backends/backend.js';
import { DEFAULT_PASSBAND, SimBackend } from '../../src/gateway/backends/sim-backend.js';
import { DEFAULT_STATE, MODES, type Mode, type Vfo } from '../../src/model/rig.js';
import { random as seeded } from '../support/seeded-random.js';

describe('SimBackend', () => {
  it('is connected from the start and announces it once on connect()', async () => {
    const sim = new SimBackend();
    const connected = vi.fn();
    sim.on('connected', connected);
    expect(sim.connected).toBe(true);
    expect(sim.type).toBe('sim');
    await sim.connect();
    await sim.connect();
    expect(connected).toHaveBeenCalledTimes(1);
  });

  it('starts from DEFAULT_STATE merged with the initial patch', async () => {
    const sim = new SimBackend({ initial: { freqA: 7_074_000, mode: 'CW', passband: 0 } });
    // snapshot(), not read(): every read moves the S-meter one step.
    expect(sim.snapshot()).toEqual({ ...DEFAULT_STATE, freqA: 7_074_000, mode: 'CW', passband: 500 });
  });

  it('answers asynchronously: a write is visible after it resolves, not before', async () => {
    const sim = new SimBackend();
    const pending = sim.setFreq('VFOA', 3_573_000);
    expect(sim.snapshot().freqA).toBe(DEFAULT_STATE.freqA);
    await pending;
    expect(sim.snapshot().freqA).toBe(3_573_000);
  });

  it('stores both VFOs to 1 Hz', async () => {
    const sim = new SimBackend();
    await sim.setFreq('VFOA', 14_074_001);
    await sim.setFreq('VFOB', 14_076_055);
    expect(await sim.read()).toMatchObject({ freqA: 14_074_001, freqB: 14_076_055 });
  });

  it.each(MODES.map((mode) => [mode]))('passband 0 gives %s its default', async (mode: Mode) => {
    const sim = new SimBackend();
    await sim.setMode('VFOB', mode, 0);
    expect(sim.snapshot()).toMatchObject({ modeB: mode, passbandB: DEFAULT_PASSBAND[mode] });
  });

  it('uses the brief’s defaults and gives data modes those of their base mode', () => {
    expect(DEFAULT_PASSBAND).toMatchObject({ USB: 2400, LSB: 2400, CW: 500, AM: 6000, FM: 15000, RTTY: 500 });
    expect(DEFAULT_PASSBAND.PKTUSB).toBe(DEFAULT_PASSBAND.USB);
    expect(DEFAULT_PASSBAND.PKTLSB).toBe(DEFAULT_PASSBAND.LSB);
    expect(DEFAULT_PASSBAND.PKTFM).toBe(DEFAULT_PASSBAND.FM);
    expect(DEFAULT_PASSBAND.PKTAM).toBe(DEFAULT_PASSBAND.AM);
  });

  it('keeps an explicit passband per VFO', async () => {
    const sim = new SimBackend();
    await sim.setMode('VFOA', 'PKTUSB', 3000);
    await sim.setMode('VFOB', 'CW', 250);
    expect(sim.snapshot()).toMatchObject({ mode: 'PKTUSB', passband: 3000, modeB: 'CW', passbandB: 250 });
  });

  it('selects the VFO, sets split with its TX VFO, PTT and RF power', async () => {
    const sim = new SimBackend();
    await sim.selectVfo('VFOB');
    await sim.setSplit(true, 'VFOA');
    await sim.setPtt(true);
    await sim.setRfPower(0.35);
    expect(sim.snapshot()).toMatchObject({
      vfo: 'VFOB',
      split: true,
      txVfo: 'VFOA',
      ptt: true,
      rfPower: 0.35,
    });
    await sim.setSplit(false, 'VFOB');
    await sim.setPtt(false);
    expect(sim.snapshot()).toMatchObject({ split: false, txVfo: 'VFOB', ptt: false });
  });

  it('refuses invalid arguments with EINVAL and leaves the state alone', async () => {
    const sim = new SimBackend();
    const before = sim.snapshot();
    const attempts: Promise<void>[] = [
      sim.setFreq('VFOA', -1),
      sim.setFreq('VFOA', 14_074_000.5),
      sim.setFreq('VFOC' as Vfo, 1),
      sim.setMode('VFOA', 'FOO' as Mode, 0),
      sim.setMode('VFOA', 'USB', -5),
      sim.setRfPower(1.5),
      sim.setRfPower(Number.NaN),
      sim.selectVfo('Main' as Vfo),
    ];
    for (const attempt of attempts) {
      await expect(attempt).rejects.toMatchObject({ name: 'BackendError', code: -1 });
    }
    expect(sim.snapshot()).toEqual(before);
  });

  it('snapshot() is a copy', () => {
    const sim = new SimBackend();
    const snap = sim.snapshot();
    snap.freqA = 1;
    expect(sim.snapshot().freqA).toBe(DEFAULT_STATE.freqA);
  });

  it('simulateRadioChange applies at once, resolves passband 0 and tells listeners', async () => {
    const sim = new SimBackend();
    const seen = vi.fn();
    sim.on('radioChange', seen);
    sim.simulateRadioChange({ freqA: 10_136_000, modeB: 'AM', passbandB: 0, vfo: 'VFOB' });
    expect(sim.snapshot()).toMatchObject({ freqA: 10_136_000, modeB: 'AM', passbandB: 6000, vfo: 'VFOB' });
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ freqA: 10_136_000 }));
    expect((await sim.read()).freqA).toBe(10_136_000);
  });

  it('S-meter wanders slowly around its level in RX and holds still in TX', async () => {
    const sim = new SimBackend({ random: seeded(42), initial: { strengthDb: -20 } });
    const readings: number[] = [];
    for (let i = 0; i < 400; i++) readings.push((await sim.read()).strengthDb);
    const steps = readings.slice(1).map((value, i) => Math.abs(value - readings[i]!));
    expect(Math.max(...steps)).toBeLessThanOrEqual(3);
    expect(new Set(readings).size).toBeGreaterThan(20);
    expect(Math.min(...readings)).toBeGreaterThan(-30);
    expect(Math.max(...readings)).toBeLessThan(-10);
    const mean = readings.reduce((sum, value) => sum + value, 0) / readings.length;
    expect(Math.abs(mean + 20)).toBeLessThan(2);

    await sim.setPtt(true);
    const tx = [(await sim.read()).strengthDb, (await sim.read()).strengthDb, (await sim.read()).strengthDb];
    expect(new Set(tx).size).toBe(1);
  });

  it('S-meter follows a simulated signal change and stays within S0..S9+60', async () => {
    const sim = new SimBackend({ random: seeded(7) });
    sim.simulateRadioChange({ strengthDb: 40 });
    for (let i = 0; i < 50; i++) await sim.read();
    expect(Math.abs(sim.snapshot().strengthDb - 40)).toBeLessThan(6);
    sim.simulateRadioChange({ strengthDb: -500 });
    expect(sim.snapshot().strengthDb).toBe(-54);
  });

  it('latencyMs delays answers', async () => {
    const sim = new SimBackend({ latencyMs: 30 });
    const started = performance.now();
    await sim.read();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('answers within a millisecond by default', async () => {
    const sim = new SimBackend();
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      await sim.read();
      times.push(performance.now() - started);
    }
    // The median: one pause of a loaded machine (a GC, another test's burst) is not the sim's latency.
    times.sort((a, b) => a - b);
    expect(times[50]).toBeLessThan(1);
  });

  it("covers what Hamlib's dummy radio covers (150 kHz – 1.5 GHz), whatever model a port emulates", () => {
    expect(new SimBackend().frequencyRanges()).toEqual([{ fromHz: 150_000, toHz: 1_500_000_000 }]);
  });

  it('after close() it is disconnected and refuses calls', async () => {
    const sim = new SimBackend();
    const disconnected = vi.fn();
    sim.on('disconnected', disconnected);
    await sim.close();
    await sim.close();
    expect(sim.connected).toBe(false);
    expect(disconnected).toHaveBeenCalledTimes(1);
    await expect(sim.read()).rejects.toBeInstanceOf(BackendError);
    await expect(sim.setPtt(true)).rejects.toBeInstanceOf(BackendError);
  });
});
