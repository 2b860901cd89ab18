/** Golden CI-V frames for what differs between the Icom models (the IC-7300 has its own file). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytes, icom } from './harness.js';

describe('IC-705', () => {
  const OK = 'FE FE E0 A4 FB FD';
  it('answers at A4, with 18 01 (Hamlib reads "power off" from anything else)', () => {
    const r = icom('ic705');
    r.expectReply('FE FE A4 E0 18 FD', 'FE FE E0 A4 18 01 FD');
    r.expectReply('FE FE A4 E0 19 00 FD', 'FE FE E0 A4 19 00 A4 FD');
    r.expectReply('FE FE 94 E0 18 FD', '');
  });

  it('has WFM; DV has no canonical mode and is refused', () => {
    const r = icom('ic705');
    r.expectReply('FE FE A4 E0 06 06 01 FD', OK);
    expect(r.rig.current).toMatchObject({ mode: 'WFM', passband: 200_000 });
    r.expectReply('FE FE A4 E0 06 17 FD', 'FE FE E0 A4 FA FD');
  });

  it('shows its power on the 10 W meter scale', () => {
    const r = icom('ic705', { ptt: true, rfPower: 0.5 });
    r.expectReply('FE FE A4 E0 15 11 FD', 'FE FE E0 A4 15 11 01 43 FD');
  });
});

describe('IC-9700', () => {
  const OK = 'FE FE E0 A2 FB FD';
  it('answers the satellite-mode query Hamlib sends around split reads (16 5A): off', () => {
    const r = icom('ic9700');
    r.expectReply('FE FE A2 E0 16 5A FD', 'FE FE E0 A2 16 5A 00 FD');
  });

  it('selects VFO A/B with 07 00/01 (as Hamlib does) and Main/Sub with 07 D0/D1', () => {
    const r = icom('ic9700');
    r.expectReply('FE FE A2 E0 07 01 FD', OK);
    expect(r.rig.current.vfo).toBe('VFOB');
    r.expectReply('FE FE A2 E0 07 D0 FD', OK);
    expect(r.rig.current.vfo).toBe('VFOA');
    r.expectReply('FE FE A2 E0 07 D1 FD', OK);
    expect(r.rig.current.vfo).toBe('VFOB');
    r.expectReply('FE FE A2 E0 07 C0 FD', OK);
  });

  it('sets and reads 23 cm frequencies', () => {
    const r = icom('ic9700');
    r.expectReply('FE FE A2 E0 25 00 00 00 00 96 12 FD', OK);
    r.expectReply('FE FE A2 E0 25 00 FD', 'FE FE E0 A2 25 00 00 00 00 96 12 FD');
  });

  it("sets PKTUSB the way Hamlib does although it is not in Hamlib's mode list (26 00 01 01 01)", () => {
    const r = icom('ic9700');
    r.expectReply('FE FE A2 E0 26 00 01 01 01 FD', OK);
    expect(r.rig.current.mode).toBe('PKTUSB');
  });
});

describe('IC-7610', () => {
  const OK = 'FE FE E0 98 FB FD';
  it('selects Main (VFO A) and Sub (VFO B) with 07 D0/D1; 25 00 reads the selected receiver', () => {
    const r = icom('ic7610');
    r.expectReply('FE FE 98 E0 07 D1 FD', OK);
    expect(r.rig.current.vfo).toBe('VFOB');
    r.expectReply('FE FE 98 E0 25 00 FD', 'FE FE E0 98 25 00 00 60 07 14 00 FD');
    r.expectReply('FE FE 98 E0 07 D0 FD', OK);
    r.expectReply('FE FE 98 E0 25 00 FD', 'FE FE E0 98 25 00 00 40 07 14 00 FD');
  });

  it("leaves the radio as it was after Hamlib's split-mode read (07 B0, read, 07 B0)", () => {
    const r = icom('ic7610', { modeB: 'CW', passbandB: 500, split: true, txVfo: 'VFOB' });
    const before = { ...r.rig.current };
    r.expectReply('FE FE 98 E0 07 B0 FD', OK);
    r.expectReply('FE FE 98 E0 26 00 FD', 'FE FE E0 98 26 00 03 00 02 FD');
    r.expectReply('FE FE 98 E0 1A 03 FD', 'FE FE E0 98 1A 03 09 FD');
    r.expectReply('FE FE 98 E0 07 B0 FD', OK);
    expect(r.rig.current).toEqual(before);
  });

  it('sets the Sub mode through the exchange, as Hamlib does for a split mode (07 B0, 26 00 …, 07 B0)', () => {
    const r = icom('ic7610', { split: true, txVfo: 'VFOB' });
    r.send('FE FE 98 E0 07 B0 FD');
    r.expectReply('FE FE 98 E0 26 00 01 01 01 FD', OK);
    r.send('FE FE 98 E0 07 B0 FD');
    expect(r.rig.current).toMatchObject({
      mode: 'USB',
      modeB: 'PKTUSB',
      freqA: 14_074_000,
      freqB: 14_076_000,
    });
  });
});

describe('issue 15 Icoms: addresses and what each radio lacks', () => {
  it.each([
    ['ic7100', '88'],
    ['ic7600', '7A'],
    ['ic9100', '7C'],
    ['ic706mk2g', '58'],
    ['x6100', '70'],
    ['g90', '70'],
  ])('%s answers at its default CI-V address %s', (profile, address) => {
    icom(profile).expectReply(`FE FE ${address} E0 03 FD`, `FE FE E0 ${address} 03 00 40 07 14 00 FD`);
  });

  it('IC-7100: no 25/26 (NG), so VFO B is read by exchanging A and B (07 B0), which leaves the radio as it was', () => {
    const r = icom('ic7100');
    r.expectReply('FE FE 88 E0 25 00 FD', 'FE FE E0 88 FA FD');
    r.expectReply('FE FE 88 E0 26 00 FD', 'FE FE E0 88 FA FD');
    r.expectReply('FE FE 88 E0 07 B0 FD', 'FE FE E0 88 FB FD');
    r.expectReply('FE FE 88 E0 03 FD', 'FE FE E0 88 03 00 60 07 14 00 FD');
    r.expectReply('FE FE 88 E0 07 B0 FD', 'FE FE E0 88 FB FD');
    expect(r.rig.current).toMatchObject({ freqA: 14_074_000, freqB: 14_076_000 });
    // Data mode through 1A 06, as Hamlib falls back to it.
    r.expectReply('FE FE 88 E0 1A 06 01 01 FD', 'FE FE E0 88 FB FD');
    expect(r.rig.current.mode).toBe('PKTUSB');
  });

  it('IC-706MkIIG: the old command set only (no 25/26, 1A 06, 1C 00) and no supply meters', () => {
    const r = icom('ic706mk2g');
    for (const frame of ['25 00', '26 00', '1A 06', '1C 00', '15 15', '15 16']) {
      r.expectReply(`FE FE 58 E0 ${frame} FD`, 'FE FE E0 58 FA FD');
    }
    r.expectReply('FE FE 58 E0 04 FD', 'FE FE E0 58 04 01 02 FD');
  });

  it('the supply meters are the profile’s: the IC-7300 reads 13.8 V, the IC-7100 has none', () => {
    icom('ic7300').expectReply('FE FE 94 E0 15 15 FD', 'FE FE E0 94 15 15 01 57 FD');
    icom('ic7100').expectReply('FE FE 88 E0 15 15 FD', 'FE FE E0 88 FA FD');
  });

  it('IC-9100: the satellite-mode query Hamlib sends around split reads is answered off', () => {
    icom('ic9100').expectReply('FE FE 7C E0 16 5A FD', 'FE FE E0 7C 16 5A 00 FD');
  });

  it('Xiegu G90: the S-meter on Hamlib’s X108G scale (S9 between raw 120 = -6 dB and 141 = +2 dB)', () => {
    icom('g90', { strengthDb: 2 }).expectReply('FE FE 70 E0 15 02 FD', 'FE FE E0 70 15 02 01 41 FD');
  });
});

describe.each(['ic7300', 'ic705', 'ic9700', 'ic7610'])('%s under random input', (profile) => {
  it('never throws and answers a valid frame after any garbage', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 20 }),
        (garbage, cuts) => {
          const r = icom(profile, {}, { echo: garbage.length % 2 === 0 });
          let at = 0;
          for (const size of [...cuts, garbage.length]) {
            r.send(garbage.subarray(at, at + size));
            at += size;
            if (at >= garbage.length) break;
          }
          // A terminator ends whatever half frame the garbage left; then the radio answers normally.
          r.send(bytes('FD'));
          const id = r.profile.civ_address.toString(16).toUpperCase();
          expect(r.send(`FE FE ${id} E0 19 00 FD`)).toMatch(new RegExp(`FE FE E0 ${id} 19 00 ${id} FD$`));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same replies to a valid stream however it is cut', () => {
    const stream = bytes(
      'FE FE AA E0 03 FD FE FE 00 E0 18 FD FE FE AA E0 25 00 FD FE FE AA E0 26 01 FD FE FE AA E0 1C 00 FD FE FE AA E0 27 FD',
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 30 }), (cuts) => {
        const whole = icom(profile, {}, { civAddress: 0xaa });
        const expected = whole.send(stream);
        const cut = icom(profile, {}, { civAddress: 0xaa });
        let out = '';
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const size = cuts[i % cuts.length]!;
          out += ` ${cut.send(stream.subarray(at, at + size))}`;
          at += size;
        }
        expect(out.replace(/\s+/g, ' ').trim()).toBe(expected);
        expect(expected.split('FD').length - 1).toBe(6);
      }),
      { numRuns: 200 },
    );
  });
});
