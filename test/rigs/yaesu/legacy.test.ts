/**
 * Golden tests: the 5-byte CAT radios as Hamlib 4.5.4 talks to them (research/hamlib.md §6; FT-818 and
 * FT-897 from test/rigs/yaesu/fixtures/hamlib-4.5.4). Each opcode, each model.
 */
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../../src/rigs/profiles.js';
import type { LegacyProfile } from '../../../src/rigs/yaesu/legacy/profile.js';
import { bytes, hex, legacy } from './harness.js';

interface Model {
  profile: string;
  /** EEPROM read requests (as Hamlib writes them) for the VFO, split and DIG sub-mode, and the reply byte Hamlib uses. */
  vfo: [string, number];
  split: [string, number];
  dig: [string, number];
  /** The DIG sub-mode values (bits 7-5) for USER-U, USER-L, RTTY as Hamlib reads RTTY, and RTTYR. */
  userU: number;
  userL: number;
  rtty: number;
  rttyr: number;
  /** The rig_open exchange Hamlib 4.5.4 has with it (captured), with A on 14.074 and B on 14.076 MHz. */
  open: [string, string][];
}

const FT817_OPEN: [string, string][] = [
  ['00 54 00 00 BB', '00 00'],
  ['00 00 00 00 03', '01 40 74 00 01'],
  ['00 00 00 00 03', '01 40 74 00 01'],
  ['00 54 00 00 BB', '00 00'],
  ['00 00 00 00 81', '00'],
  ['00 00 00 00 03', '01 40 76 00 01'],
  ['00 00 00 00 03', '01 40 76 00 01'],
  ['00 54 00 00 BB', '00 01'],
  ['00 00 00 00 81', '00'],
  ['00 00 00 00 F7', 'FF'],
  ['00 7A 00 00 BB', '00 00'],
];

const ft817Like = (profile: string): Model => ({
  profile,
  vfo: ['00 54 00 00 BB', 1],
  split: ['00 7A 00 00 BB', 0],
  dig: ['00 64 00 00 BB', 1],
  userU: 4 << 5,
  userL: 3 << 5,
  rtty: 0,
  rttyr: 0, // one RTTY sub-mode, which Hamlib reads as RTTYR
  open: FT817_OPEN,
});

const ft857Like = (profile: string, open: [string, string][]): Model => ({
  profile,
  vfo: ['00 68 00 00 BB', 0],
  split: ['00 8C 00 00 BB', 1],
  dig: ['00 78 00 00 BB', 0],
  userU: 5 << 5,
  userL: 4 << 5,
  rtty: 0,
  rttyr: 1 << 5,
  open,
});

const MODELS: Model[] = [
  ft817Like('ft817'),
  ft817Like('ft818'),
  ft857Like('ft857', [
    ['00 68 00 00 BB', '00 00'],
    ['00 00 00 00 03', '01 40 74 00 01'],
    ['00 78 00 00 BB', 'A0 00'],
    ['00 68 00 00 BB', '00 00'],
    ['00 00 00 00 81', '00'],
    ['00 68 00 00 BB', '01 00'],
    ['00 00 00 00 81', '00'],
    ['00 00 00 00 F7', 'FF'],
    ['00 8C 00 00 BB', '00 00'],
  ]),
  ft857Like('ft897', [
    ['00 00 00 00 03', '01 40 74 00 01'],
    ['00 78 00 00 BB', 'A0 00'],
    ['00 00 00 00 F7', 'FF'],
    ['00 8C 00 00 BB', '00 00'],
    ['00 00 00 00 03', '01 40 74 00 01'],
    ['00 78 00 00 BB', 'A0 00'],
  ]),
];

/** The byte Hamlib uses from an EEPROM read. */
function eeprom(r: ReturnType<typeof legacy>, [request, index]: [string, number]): number {
  const reply = bytes(r.send(request));
  expect(reply).toHaveLength(2);
  return reply[index] ?? -1;
}

describe.each(MODELS)('$profile', (model) => {
  it('answers the rig_open exchange Hamlib 4.5.4 has with it', () => {
    const r = legacy(model.profile);
    for (const [request, reply] of model.open) r.expectReply(request, reply);
    expect(r.rig.current.vfo).toBe('VFOA');
  });

  it('01: sets the frequency in 10 Hz BCD and ACKs; Hamlib sends (f+5)/10, so 14074055 reads back 14074060', () => {
    const r = legacy(model.profile);
    r.expectReply('00 70 74 00 01', '00');
    expect(r.rig.current.freqA).toBe(7_074_000);
    r.expectReply('01 40 74 06 01', '00'); // Hamlib's bytes for 14074055 Hz
    r.expectReply('00 00 00 00 03', '01 40 74 06 01');
    expect(r.rig.current.freqA).toBe(14_074_060);
    // A frequency at 1 Hz resolution elsewhere reads as the radio's 10 Hz display.
    r.rig.current.freqA = 7_074_123;
    r.expectReply('00 00 00 00 03', '00 70 74 12 01');
    // Not BCD: rejected, nothing written.
    r.expectReply('0A 40 74 00 01', 'F0');
    expect(r.rig.calls).toEqual(['setFreq VFOA 7074000', 'setFreq VFOA 14074060']);
  });

  it('keeps answering from the last state when the radio is unreachable (the 5-byte CAT has no error for a read)', () => {
    const r = legacy(model.profile);
    const before = r.send([0, 0, 0, 0, 0x03]);
    expect(bytes(before)).toHaveLength(5);
    r.rig.offline = true;
    expect(r.send([0, 0, 0, 0, 0x03])).toBe(before);
  });

  it('03: 4 BCD bytes and the mode byte of the current VFO', () => {
    const r = legacy(model.profile, { vfo: 'VFOB', freqB: 432_100_000, modeB: 'FM' });
    r.expectReply('00 00 00 00 03', '43 21 00 00 08');
    r.rig.current = { ...r.rig.current, vfo: 'VFOA', freqA: 1_840_000, mode: 'LSB' };
    r.expectReply('00 00 00 00 03', '00 18 40 00 00');
  });

  it('07: sets each mode; narrow variants read as their base; unknown modes are refused', () => {
    const r = legacy(model.profile);
    const table: [number, string][] = [
      [0x00, 'LSB'],
      [0x01, 'USB'],
      [0x02, 'CW'],
      [0x03, 'CWR'],
      [0x04, 'AM'],
      [0x08, 'FM'],
      [0x0c, 'PKTFM'],
      [0x88, 'FM'],
    ];
    for (const [byte, mode] of table) {
      expect(r.send([byte, 0, 0, 0, 0x07]), `mode ${byte}`).toBe('00');
      expect(r.rig.current.mode).toBe(mode);
    }
    r.expectReply('00 00 00 00 07', '00');
    r.expectReply('00 00 00 00 03', '01 40 74 00 00');
    r.expectReply('55 00 00 00 07', 'F0');
    expect(r.rig.current.mode).toBe('LSB');
  });

  it('DIG (0A): the default sub-mode is USER-U, read from the EEPROM as PKTUSB', () => {
    const r = legacy(model.profile);
    r.expectReply('0A 00 00 00 07', '00');
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('00 00 00 00 03', '01 40 74 00 0A');
    expect(eeprom(r, model.dig)).toBe(model.userU);
  });

  it('DIG follows the backend: PKTLSB shows USER-L, RTTY and RTTYR their RTTY sub-modes', () => {
    const r = legacy(model.profile, { mode: 'PKTLSB' });
    r.expectReply('00 00 00 00 03', '01 40 74 00 0A');
    expect(eeprom(r, model.dig)).toBe(model.userL);
    r.rig.current.mode = 'RTTY';
    expect(eeprom(r, model.dig)).toBe(model.rtty);
    r.rig.current.mode = 'RTTYR';
    expect(eeprom(r, model.dig)).toBe(model.rttyr);
  });

  it('a DIG set keeps the sub-mode the radio has; a Hamlib M RTTY cannot be told from M PKTUSB', () => {
    // The backend put the radio in RTTY: the DIG menu shows RTTY, and stays so through USB and back.
    const r = legacy(model.profile, { mode: 'RTTY' });
    r.expectReply('00 00 00 00 03', '01 40 74 00 0A');
    r.expectReply('01 00 00 00 07', '00');
    expect(r.rig.current.mode).toBe('USB');
    r.expectReply('0A 00 00 00 07', '00');
    const rtty = model.profile.startsWith('ft81') ? 'RTTYR' : 'RTTY';
    expect(r.rig.current.mode).toBe(rtty);
    // Hamlib writes 0A for both its RTTY and its PKTUSB: while in a DIG mode, 0A changes nothing.
    r.expectReply('0A 00 00 00 07', '00');
    expect(r.rig.current.mode).toBe(rtty);
    // A radio left in USER-U: Hamlib's M RTTY (0A) gives PKTUSB, not RTTY.
    const fresh = legacy(model.profile);
    fresh.expectReply('0A 00 00 00 07', '00');
    expect(fresh.rig.current.mode).toBe('PKTUSB');
  });

  it('08/88: PTT on and off with ACK, F0 when already in that state; F7 answers FF in receive', () => {
    const r = legacy(model.profile, { rfPower: 0.5 });
    r.expectReply('00 00 00 00 F7', 'FF');
    r.expectReply('00 00 00 00 08', '00');
    expect(r.rig.current.ptt).toBe(true);
    r.expectReply('00 00 00 00 08', 'F0');
    r.expectReply('00 00 00 00 F7', '05'); // b7 = 0 keyed, no split, 5 power bars
    r.expectReply('00 00 00 00 88', '00');
    r.expectReply('00 00 00 00 88', 'F0');
    r.expectReply('00 00 00 00 F7', 'FF');
    expect(r.rig.calls).toEqual(['setPtt true', 'setPtt false']);
    r.rig.refuse = true;
    r.expectReply('00 00 00 00 08', 'F0');
    r.expectReply('00 00 00 00 F7', 'FF');
  });

  it('02/82: split on and off, read from the EEPROM in receive and from F7 bit 5 in transmit', () => {
    const r = legacy(model.profile);
    expect(eeprom(r, model.split)).toBe(0x00);
    r.expectReply('00 00 00 00 02', '00');
    expect(r.rig.current).toMatchObject({ split: true, txVfo: 'VFOB' });
    expect(eeprom(r, model.split)).toBe(0x80);
    r.rig.current.ptt = true;
    expect(bytes(r.send('00 00 00 00 F7'))[0]! & 0xa0).toBe(0x20);
    r.rig.current.ptt = false;
    r.expectReply('00 00 00 00 82', '00');
    expect(r.rig.current.split).toBe(false);
    expect(eeprom(r, model.split)).toBe(0x00);
  });

  it('81: toggles A/B; the EEPROM VFO bit follows; in split the TX VFO is the one just left', () => {
    const r = legacy(model.profile);
    expect(eeprom(r, model.vfo)).toBe(0);
    r.expectReply('00 00 00 00 81', '00');
    expect(r.rig.current.vfo).toBe('VFOB');
    expect(eeprom(r, model.vfo)).toBe(1);
    r.expectReply('00 00 00 00 03', '01 40 76 00 01');
    r.expectReply('00 00 00 00 02', '00');
    expect(r.rig.current).toMatchObject({ split: true, txVfo: 'VFOA' });
    r.expectReply('00 00 00 00 81', '00');
    expect(r.rig.current).toMatchObject({ vfo: 'VFOA', split: true, txVfo: 'VFOB' });
  });

  it('E7: one byte, the S-meter in units (S9 = 9); BD: one byte in receive, two keyed', () => {
    const r = legacy(model.profile, { strengthDb: 0 });
    r.expectReply('00 00 00 00 E7', '09');
    r.rig.current.strengthDb = -54;
    r.expectReply('00 00 00 00 E7', '00');
    r.rig.current.strengthDb = 60;
    r.expectReply('00 00 00 00 E7', '0F');
    r.expectReply('00 00 00 00 BD', '00');
    r.rig.current = { ...r.rig.current, ptt: true, rfPower: 1 };
    r.expectReply('00 00 00 00 BD', 'A0 00');
  });

  it('lock, clarifier, repeater and tone opcodes are ACKed; power off ACKed and ignored; power on and unknown opcodes silent', () => {
    const r = legacy(model.profile);
    for (const op of [0x00, 0x80, 0x05, 0x85, 0xf5, 0x09, 0xf9, 0x0a, 0x0b, 0x0c, 0x8f])
      expect(r.send([0, 0, 0, 0, op]), `opcode ${op}`).toBe('00');
    r.expectReply('FF FF FF FF FF', '');
    r.expectReply('00 00 00 00 0F', '');
    r.expectReply('00 00 00 00 77', '');
    expect(r.frames.at(-1)?.kind).toBe('unknown');
    expect(r.rig.calls).toEqual([]);
    // Any EEPROM address Hamlib does not use reads 00 00.
    r.expectReply('01 00 00 00 BB', '00 00');
  });

  it('with ack: false (some real units), sets are silent and queries still answered', () => {
    const profile = { ...(loadProfile(model.profile) as LegacyProfile), ack: false };
    const r = legacy(profile);
    r.expectReply('00 70 74 00 01', '');
    r.expectReply('00 00 00 00 08', '');
    r.expectReply('00 00 00 00 81', '');
    r.expectReply('00 00 00 00 F7', hex(Uint8Array.of(0x0a)));
    r.expectReply('00 00 00 00 03', '01 40 76 00 01');
    expect(r.rig.current).toMatchObject({ freqA: 7_074_000, vfo: 'VFOB', ptt: true });
  });
});
