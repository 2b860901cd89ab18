/**
 * Golden CI-V frames for the IC-7300 (the family's reference model): what Hamlib 4.5.4 sends
 * (research/hamlib.md §4.2–4.3, captures logs/ic7300*) and what the radio must answer, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { bytes, icom } from './harness.js';

const OK = 'FE FE E0 94 FB FD';
const NG = 'FE FE E0 94 FA FD';

describe('IC-7300 CI-V', () => {
  it("answers Hamlib's open sequence (echo off, the USB factory setting)", () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 03 FD', 'FE FE E0 94 03 00 40 07 14 00 FD');
    r.expectReply('FE FE 94 E0 25 00 FD', 'FE FE E0 94 25 00 00 40 07 14 00 FD');
    r.expectReply('FE FE 94 E0 25 01 FD', 'FE FE E0 94 25 01 00 60 07 14 00 FD');
    r.expectReply('FE FE 94 E0 07 00 FD', OK);
    r.expectReply('FE FE 94 E0 0F FD', 'FE FE E0 94 0F 00 FD');
    // USB, DATA off, FIL2 (2400 Hz is the IC-7300's FIL2); width index 28 BCD = 2400 Hz.
    r.expectReply('FE FE 94 E0 26 00 FD', 'FE FE E0 94 26 00 01 00 02 FD');
    r.expectReply('FE FE 94 E0 1A 03 FD', 'FE FE E0 94 1A 03 28 FD');
    expect(r.rig.calls).toEqual(['selectVfo VFOA']);
  });

  it('echoes every frame before its reply when echo is on, for the whole session', () => {
    const r = icom('ic7300', {}, { echo: true });
    r.expectReply('FE FE 94 E0 03 FD', 'FE FE 94 E0 03 FD FE FE E0 94 03 00 40 07 14 00 FD');
    r.expectReply('FE FE 94 E0 1C 00 01 FD', 'FE FE 94 E0 1C 00 01 FD' + OK);
    // Two frames in one write: echo, reply, echo, reply.
    r.expectReply(
      'FE FE 94 E0 0F FD FE FE 94 E0 1C 00 FD',
      'FE FE 94 E0 0F FD FE FE E0 94 0F 00 FD FE FE 94 E0 1C 00 FD FE FE E0 94 1C 00 01 FD',
    );
    // A frame for another radio on the bus is echoed (it was on the bus) but not answered.
    r.expectReply('FE FE 76 E0 03 FD', 'FE FE 76 E0 03 FD');
  });

  it('with echo on, every command answers its own frame first, then exactly what it answers with echo off', () => {
    const requests = [
      '03',
      '04',
      '05 00 40 07 14 00',
      '06 01 02',
      '07',
      '07 00',
      '07 01',
      '07 A0',
      '07 B0',
      '07 D0',
      '0F',
      '0F 01',
      '0F 00',
      '14 0A',
      '14 0A 01 28',
      '14 01',
      '15 02',
      '15 11',
      '15 12',
      '16 12',
      '18',
      '18 01',
      '19 00',
      '1A 03',
      '1A 03 28',
      '1A 06',
      '1A 06 01 01',
      '1A 05 00 95 21 30',
      '1C 00',
      '1C 00 01',
      '1C 00 00',
      '25 00',
      '25 01',
      '25 00 00 40 07 14 00',
      '26 00',
      '26 01',
      '26 00 01 01 01',
      '27 00',
      '00 00 00 07 21 00',
    ];
    const quiet = icom('ic7300');
    const echoing = icom('ic7300', {}, { echo: true });
    for (const body of requests) {
      const frame = `FE FE 94 E0 ${body} FD`;
      const plain = quiet.send(frame);
      expect(echoing.send(frame), frame).toBe(`${frame} ${plain}`.trim());
    }
  });

  it('sets and reads frequencies to 1 Hz on the selected and unselected VFO (25, 03, 05, 00)', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 25 00 23 41 07 14 00 FD', OK);
    expect(r.rig.current.freqA).toBe(14_074_123);
    r.expectReply('FE FE 94 E0 25 00 FD', 'FE FE E0 94 25 00 23 41 07 14 00 FD');
    r.expectReply('FE FE 94 E0 25 01 00 60 07 07 00 FD', OK);
    expect(r.rig.current.freqB).toBe(7_076_000);
    r.expectReply('FE FE 94 E0 05 55 40 07 14 00 FD', OK);
    expect(r.rig.current.freqA).toBe(14_074_055);
    r.expectReply('FE FE 94 E0 03 FD', 'FE FE E0 94 03 55 40 07 14 00 FD');
    // 00 is the transceive form of a frequency set: taken, never answered.
    r.expectReply('FE FE 94 E0 00 00 00 07 21 00 FD', '');
    expect(r.rig.current.freqA).toBe(21_070_000);
    // Frequencies beyond 1 GHz fit the 5 bytes (IC-9700 23 cm).
    r.expectReply('FE FE 94 E0 25 01 00 00 00 96 12 FD', OK);
    expect(r.rig.current.freqB).toBe(1_296_000_000);
  });

  it('refuses a frequency that is not BCD with NG', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 25 00 0A 40 07 14 00 FD', NG);
    r.expectReply('FE FE 94 E0 05 00 40 07 FD', NG);
    expect(r.rig.calls).toEqual([]);
  });

  it('sets USB and PKTUSB with 26 and 1A 03 as Hamlib does, and reads them back', () => {
    const r = icom('ic7300');
    // M PKTUSB 3000: 26 00 <USB> <DATA1> <FIL1>, then the width index 34 (3000 Hz).
    r.expectReply('FE FE 94 E0 26 00 01 01 01 FD', OK);
    r.expectReply('FE FE 94 E0 1A 03 34 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'PKTUSB', passband: 3000 });
    r.expectReply('FE FE 94 E0 26 00 FD', 'FE FE E0 94 26 00 01 01 01 FD');
    r.expectReply('FE FE 94 E0 1A 03 FD', 'FE FE E0 94 1A 03 34 FD');
    r.expectReply('FE FE 94 E0 1A 06 FD', 'FE FE E0 94 1A 06 01 01 FD');
    r.expectReply('FE FE 94 E0 04 FD', 'FE FE E0 94 04 01 01 FD');
    // M USB 2400.
    r.expectReply('FE FE 94 E0 26 00 01 00 01 FD', OK);
    r.expectReply('FE FE 94 E0 1A 03 28 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'USB', passband: 2400 });
    r.expectReply('FE FE 94 E0 1A 06 FD', 'FE FE E0 94 1A 06 00 00 FD');
    // LSB-D, FM-D and AM-D are the other data modes.
    r.expectReply('FE FE 94 E0 26 00 00 01 02 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'PKTLSB', passband: 2400 });
    r.expectReply('FE FE 94 E0 26 01 05 01 01 FD', OK);
    expect(r.rig.current).toMatchObject({ modeB: 'PKTFM', passbandB: 15000 });
    r.expectReply('FE FE 94 E0 26 01 FD', 'FE FE E0 94 26 01 05 01 01 FD');
  });

  it('sets modes with 06 (DATA off) and turns DATA on and off with 1A 06', () => {
    const r = icom('ic7300', { mode: 'PKTUSB' });
    r.expectReply('FE FE 94 E0 06 03 02 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'CW', passband: 500 });
    r.expectReply('FE FE 94 E0 04 FD', 'FE FE E0 94 04 03 02 FD');
    r.expectReply('FE FE 94 E0 06 07 FD', OK);
    expect(r.rig.current.mode).toBe('CWR');
    r.expectReply('FE FE 94 E0 06 01 FD', OK);
    r.expectReply('FE FE 94 E0 1A 06 01 01 FD', OK);
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('FE FE 94 E0 1A 06 00 00 FD', OK);
    expect(r.rig.current.mode).toBe('USB');
    // RTTY and RTTY-R exist; WFM and DV do not on the IC-7300.
    r.expectReply('FE FE 94 E0 06 08 01 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'RTTYR', passband: 2400 });
    r.expectReply('FE FE 94 E0 06 06 FD', NG);
    r.expectReply('FE FE 94 E0 06 17 FD', NG);
    r.expectReply('FE FE 94 E0 06 01 04 FD', NG);
    // CW has no data mode.
    r.expectReply('FE FE 94 E0 06 03 FD', OK);
    r.expectReply('FE FE 94 E0 1A 06 01 01 FD', NG);
  });

  it('reads and sets the filter width by index, in AM in 200 Hz steps, and never NGs a read', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 1A 03 09 FD', OK);
    expect(r.rig.current.passband).toBe(500);
    r.expectReply('FE FE 94 E0 1A 03 FD', 'FE FE E0 94 1A 03 09 FD');
    r.expectReply('FE FE 94 E0 1A 03 41 FD', NG);
    r.expectReply('FE FE 94 E0 06 02 01 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'AM', passband: 9000 });
    r.expectReply('FE FE 94 E0 1A 03 FD', 'FE FE E0 94 1A 03 44 FD');
    r.expectReply('FE FE 94 E0 1A 03 29 FD', OK);
    expect(r.rig.current.passband).toBe(6000);
    // FM widths are fixed filters: accepted, unchanged, and still answered when read.
    r.expectReply('FE FE 94 E0 06 05 01 FD', OK);
    r.expectReply('FE FE 94 E0 1A 03 10 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'FM', passband: 15000 });
    expect(r.send('FE FE 94 E0 1A 03 FD')).toMatch(/^FE FE E0 94 1A 03 [0-9]{2} FD$/);
  });

  it('selects, equalises and exchanges VFOs (07)', () => {
    const r = icom('ic7300', { mode: 'USB', modeB: 'CW', passbandB: 500 });
    r.expectReply('FE FE 94 E0 07 FD', OK);
    r.expectReply('FE FE 94 E0 07 01 FD', OK);
    expect(r.rig.current.vfo).toBe('VFOB');
    r.expectReply('FE FE 94 E0 25 00 FD', 'FE FE E0 94 25 00 00 60 07 14 00 FD');
    r.expectReply('FE FE 94 E0 25 01 FD', 'FE FE E0 94 25 01 00 40 07 14 00 FD');
    r.expectReply('FE FE 94 E0 07 00 FD', OK);
    r.expectReply('FE FE 94 E0 07 B0 FD', OK);
    expect(r.rig.current).toMatchObject({ freqA: 14_076_000, freqB: 14_074_000, mode: 'CW', modeB: 'USB' });
    r.expectReply('FE FE 94 E0 07 A0 FD', OK);
    expect(r.rig.current).toMatchObject({ freqB: 14_076_000, modeB: 'CW', passbandB: 500 });
    // Main/Sub and dual watch belong to the dual-receiver models.
    r.expectReply('FE FE 94 E0 07 D0 FD', NG);
    r.expectReply('FE FE 94 E0 07 C1 FD', NG);
  });

  it('turns split on and off; the TX VFO is the unselected one', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 0F 01 FD', OK);
    expect(r.rig.current).toMatchObject({ split: true, txVfo: 'VFOB' });
    r.expectReply('FE FE 94 E0 0F FD', 'FE FE E0 94 0F 01 FD');
    r.expectReply('FE FE 94 E0 0F 00 FD', OK);
    expect(r.rig.current.split).toBe(false);
    r.expectReply('FE FE 94 E0 0F 10 FD', OK);
    r.expectReply('FE FE 94 E0 0F 11 FD', NG);
  });

  it('keys and unkeys (1C 00); a refused PTT is NG', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 1C 00 FD', 'FE FE E0 94 1C 00 00 FD');
    r.expectReply('FE FE 94 E0 1C 00 01 FD', OK);
    r.expectReply('FE FE 94 E0 1C 00 FD', 'FE FE E0 94 1C 00 01 FD');
    r.expectReply('FE FE 94 E0 1C 00 00 FD', OK);
    expect(r.rig.calls).toEqual(['setPtt true', 'setPtt false']);
    r.rig.refuse = true;
    r.expectReply('FE FE 94 E0 1C 00 01 FD', NG);
    r.expectReply('FE FE 94 E0 25 00 00 00 07 14 00 FD', NG);
    r.expectReply('FE FE 94 E0 1C 00 02 FD', NG);
  });

  it('answers NG to everything once the radio is unreachable past the grace period (echo still echoes)', () => {
    const r = icom('ic7300', {}, { echo: true });
    r.rig.offline = true;
    r.expectReply('FE FE 94 E0 25 00 FD', `FE FE 94 E0 25 00 FD${NG}`);
    expect(r.frames.at(-1)?.kind).toBe('unavailable');
    r.rig.offline = false;
    r.expectReply('FE FE 94 E0 18 FD', 'FE FE 94 E0 18 FD FE FE E0 94 18 01 FD');
  });

  it('answers power status 18 01, the transceiver ID, and takes power on/off without acting', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 18 FD', 'FE FE E0 94 18 01 FD');
    r.expectReply('FE FE 94 E0 19 00 FD', 'FE FE E0 94 19 00 94 FD');
    r.expectReply('FE FE 94 E0 18 00 FD', OK);
    expect(r.rig.calls).toEqual([]);
  });

  it('reads and sets RF power (14 0A) on the 0–255 scale', () => {
    const r = icom('ic7300', { rfPower: 1 });
    r.expectReply('FE FE 94 E0 14 0A FD', 'FE FE E0 94 14 0A 02 55 FD');
    r.expectReply('FE FE 94 E0 14 0A 01 28 FD', OK);
    expect(r.rig.current.rfPower).toBeCloseTo(128 / 255);
    r.expectReply('FE FE 94 E0 14 0A FD', 'FE FE E0 94 14 0A 01 28 FD');
    r.expectReply('FE FE 94 E0 14 0A 03 00 FD', NG);
  });

  it('reads the meters Hamlib and WSJT-X poll (15 02/11/12), plausibly in RX and TX', () => {
    const r = icom('ic7300', { strengthDb: 0, rfPower: 0.5 });
    r.expectReply('FE FE 94 E0 15 02 FD', 'FE FE E0 94 15 02 01 20 FD'); // S9 = 120
    r.expectReply('FE FE 94 E0 15 11 FD', 'FE FE E0 94 15 11 00 00 FD');
    r.rig.current.ptt = true;
    r.expectReply('FE FE 94 E0 15 11 FD', 'FE FE E0 94 15 11 01 43 FD'); // 50 W
    r.expectReply('FE FE 94 E0 15 12 FD', 'FE FE E0 94 15 12 00 00 FD'); // SWR 1.0
    r.expectReply('FE FE 94 E0 15 13 FD', 'FE FE E0 94 15 13 00 00 FD');
    r.expectReply('FE FE 94 E0 15 15 FD', 'FE FE E0 94 15 15 01 57 FD');
    r.rig.current = { ...r.rig.current, ptt: false, strengthDb: 60 };
    // Hamlib's IC-7300 calibration puts 241 at S9+64 dB, so S9+60 is 233.
    r.expectReply('FE FE 94 E0 15 02 FD', 'FE FE E0 94 15 02 02 33 FD');
    r.rig.current.strengthDb = -24; // S5: 60 on the radio's scale
    r.expectReply('FE FE 94 E0 15 02 FD', 'FE FE E0 94 15 02 00 60 FD');
    r.expectReply('FE FE 94 E0 15 02 01 FD', NG);
  });

  it("answers levels and functions from the profile, keeps a client's settings on its port", () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 14 01 FD', 'FE FE E0 94 14 01 01 28 FD');
    r.expectReply('FE FE 94 E0 14 01 00 50 FD', OK);
    r.expectReply('FE FE 94 E0 14 01 FD', 'FE FE E0 94 14 01 00 50 FD');
    r.expectReply('FE FE 94 E0 16 12 FD', 'FE FE E0 94 16 12 02 FD');
    r.expectReply('FE FE 94 E0 11 FD', 'FE FE E0 94 11 00 FD');
    r.expectReply('FE FE 94 E0 21 00 FD', 'FE FE E0 94 21 00 00 00 00 FD');
    r.emulator.reset();
    r.expectReply('FE FE 94 E0 14 01 FD', 'FE FE E0 94 14 01 01 28 FD');
  });

  it('acknowledges clock and menu writes (1A 05), refuses what it does not know with NG at once', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 1A 05 00 95 21 30 FD', OK); // set time 21:30
    r.expectReply('FE FE 94 E0 1A 05 00 95 FD', NG);
    r.expectReply('FE FE 94 E0 27 00 FD', NG);
    r.expectReply('FE FE 94 E0 16 5A FD', NG); // satellite mode is the IC-9700's
    r.expectReply('FE FE 94 E0 17 41 42 FD', NG); // CW keying is not emulated
    expect(r.frames.map((f) => f.kind)).toEqual(['set', 'unknown', 'unknown', 'unknown', 'unknown']);
  });

  it('answers only its own address and the broadcast address; replies go to the sender', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 76 E0 03 FD', '');
    r.expectReply('FE FE 00 E0 18 FD', 'FE FE E0 94 18 01 FD');
    r.expectReply('FE FE 94 E1 18 FD', 'FE FE E1 94 18 01 FD');
  });

  it('takes a per-port CI-V address (civ_address) instead of the profile one', () => {
    const r = icom('ic7300', {}, { civAddress: 0x70 });
    r.expectReply('FE FE 94 E0 03 FD', '');
    r.expectReply('FE FE 70 E0 19 00 FD', 'FE FE E0 70 19 00 70 FD');
  });

  it('resynchronises after garbage and half frames, whatever the chunking', () => {
    const r = icom('ic7300');
    const stream = bytes(
      '00 13 FD FE 94 FE FE 94 E0 25 FE FE 94 E0 1C 00 FD 55 FE FE FE 94 E0 03 FD FE FE FD',
    );
    const expected = 'FE FE E0 94 1C 00 00 FD FE FE E0 94 03 00 40 07 14 00 FD';
    expect(r.send(stream)).toBe(expected);
    let out = '';
    for (const b of stream) out += `${r.send(Uint8Array.of(b))} `;
    expect(out.replace(/\s+/g, ' ').trim()).toBe(expected);
  });

  it('drops a frame with no FD within the cap and holds no more than the cap', () => {
    const r = icom('ic7300');
    const garbage = bytes(`FE FE 94 E0 ${'11 '.repeat(200)}`);
    expect(r.send(garbage)).toBe('');
    expect(r.frames.at(-1)?.kind).toBe('overflow');
    r.expectReply('FE FE 94 E0 18 FD', 'FE FE E0 94 18 01 FD');
  });

  it('ignores collisions (FC) and too-short frames, as a radio does', () => {
    const r = icom('ic7300');
    r.expectReply('FE FE 94 E0 FC FD', '');
    r.expectReply('FE FE 94 FD', '');
    r.expectReply('FE FE 94 E0 18 FD', 'FE FE E0 94 18 01 FD');
  });

  it('sends CI-V transceive frames on radio-side changes only when the port asks for it', () => {
    const quiet = icom('ic7300');
    quiet.rig.current.freqA = 7_074_000;
    quiet.emulator.stateChanged();
    expect(quiet.written).toEqual([]);

    const r = icom('ic7300', {}, { transceive: true });
    r.emulator.stateChanged();
    expect(r.written).toEqual([]);
    r.rig.current.freqA = 7_074_000;
    r.emulator.stateChanged();
    expect(r.written.map((w) => Buffer.from(w).toString('hex'))).toEqual(['fefe0094000040070700fd']);
    r.written.length = 0;
    r.rig.current.mode = 'CW';
    r.rig.current.passband = 500;
    r.emulator.stateChanged();
    expect(Buffer.from(r.written[0]!).toString('hex')).toBe('fefe0094010302fd');
    // The client's own change is not announced back to it.
    r.send('FE FE 94 E0 25 00 00 00 07 21 00 FD');
    r.written.length = 0;
    r.emulator.stateChanged();
    expect(r.written).toEqual([]);
  });

  it("keeps A and B apart across Hamlib's +100 Hz open probe and its split-mode read", () => {
    const r = icom('ic7300', { freqA: 14_074_000, freqB: 14_074_000 });
    // Captured (err_ic7300_sameAB): 25 00 <A+100>, 07 00, 25 00, 25 00 <A> (restore).
    r.send('FE FE 94 E0 25 00 00 41 07 14 00 FD');
    r.send('FE FE 94 E0 07 00 FD');
    r.send('FE FE 94 E0 25 00 FD');
    r.send('FE FE 94 E0 25 00 00 40 07 14 00 FD');
    expect(r.rig.current).toMatchObject({ vfo: 'VFOA', freqA: 14_074_000, freqB: 14_074_000 });
    // get split mode (x): 0F 00, 07 01, 25 00, 26 00, 07 00, 25 00, 0F 01.
    r.rig.current = {
      ...r.rig.current,
      freqB: 14_076_000,
      modeB: 'CW',
      passbandB: 500,
      split: true,
      txVfo: 'VFOB',
    };
    r.send('FE FE 94 E0 0F 00 FD');
    r.send('FE FE 94 E0 07 01 FD');
    r.expectReply('FE FE 94 E0 25 00 FD', 'FE FE E0 94 25 00 00 60 07 14 00 FD');
    expect(r.send('FE FE 94 E0 26 00 FD')).toBe('FE FE E0 94 26 00 03 00 02 FD');
    r.send('FE FE 94 E0 07 00 FD');
    r.send('FE FE 94 E0 0F 01 FD');
    expect(r.rig.current).toMatchObject({
      vfo: 'VFOA',
      freqA: 14_074_000,
      freqB: 14_076_000,
      split: true,
      txVfo: 'VFOB',
    });
  });
});
