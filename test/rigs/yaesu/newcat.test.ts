/**
 * Golden tests: the newcat radios as Hamlib 4.5.4 talks to them (research/hamlib.md §5; the FT-891 and
 * FTDX101D from test/rigs/yaesu/fixtures/hamlib-4.5.4). Each command, each model.
 */
import { describe, expect, it } from 'vitest';
import { newcat } from './harness.js';

const IF_A_USB = 'IF001014074000+000000200000;';

interface Model {
  profile: string;
  id: string;
  /** The SH answer for a width index, on P1 0 (Main / current). */
  sh: (index: number) => string;
  vfoSelect: boolean;
  /** SM0 at S9 and RM5 at a quarter of full power, on this radio's meter scales as Hamlib 4.5.4 reads them. */
  meters: { s9: string; quarterPower: string };
  /** The rig_open exchange Hamlib 4.5.4 has with this model (captured), request → answer. */
  open: [string, string][];
}

const MODELS: Model[] = [
  {
    profile: 'ft991a',
    meters: { s9: 'SM0130;', quarterPower: 'RM5052;' },
    id: '0670',
    sh: (i) => `SH0${String(i).padStart(2, '0')};`,
    vfoSelect: false,
    open: [
      ['AI;', 'AI0;'],
      ['ID;', 'ID0670;'],
      ['EX0321;EX032;', 'EX0321;'],
      ['FA;', 'FA014074000;'],
      ['FB;', 'FB014076000;'],
      ['FT;', 'FT0;'],
      ['IF;', IF_A_USB],
      ['MD0;', 'MD02;'],
      ['SH0;', 'SH014;'],
      ['NA0;', 'NA00;'],
    ],
  },
  {
    profile: 'ftdx10',
    meters: { s9: 'SM0130;', quarterPower: 'RM5064;' },
    id: '0761',
    sh: (i) => `SH00${String(i).padStart(2, '0')};`,
    vfoSelect: true,
    open: [
      ['AI;', 'AI0;'],
      ['ID;', 'ID0761;'],
      ['VS;', 'VS0;'],
      ['IF;', IF_A_USB],
      ['FA;', 'FA014074000;'],
      ['FB;', 'FB014076000;'],
      ['FT;', 'FT0;'],
      ['MD0;', 'MD02;'],
      ['SH0;', 'SH0014;'],
    ],
  },
  {
    profile: 'ft891',
    meters: { s9: 'SM0127;', quarterPower: 'RM5025;' },
    id: '0650',
    sh: (i) => `SH01${String(i).padStart(2, '0')};`,
    vfoSelect: false,
    open: [
      ['AI;', 'AI0;'],
      ['ID;', 'ID0650;'],
      // Only sent when the radio says ID0135 (Hamlib's table), answered all the same.
      ['EX05071;EX0507;', 'EX05071;'],
      ['FA;', 'FA014074000;'],
      ['FB;', 'FB014076000;'],
      ['ST;', 'ST0;'],
      ['MD0;', 'MD02;'],
      ['SH0;', 'SH0114;'],
      ['NA0;', 'NA00;'],
    ],
  },
  {
    profile: 'ftdx101d',
    meters: { s9: 'SM0160;', quarterPower: 'RM5064;' },
    id: '0681',
    sh: (i) => `SH00${String(i).padStart(2, '0')};`,
    vfoSelect: true,
    open: [
      ['AI;', 'AI0;'],
      ['ID;', 'ID0681;'],
      ['VS;', 'VS0;'],
      ['IF;', IF_A_USB],
      ['FA;', 'FA014074000;'],
      ['FB;', 'FB014076000;'],
      ['ST;', 'ST0;'],
      ['MD0;', 'MD02;'],
      ['SH0;', 'SH0014;'],
    ],
  },
];

describe.each(MODELS)('$profile', (model) => {
  it('answers the rig_open exchange Hamlib 4.5.4 has with it, in one write per chunk', () => {
    const r = newcat(model.profile);
    for (const [request, reply] of model.open) r.expectReply(request, reply);
    // Several commands in one write: the answers leave together, in order.
    const all = model.open.map(([q]) => q).join('');
    expect(r.send(all)).toBe(model.open.map(([, a]) => a).join(''));
    expect(r.written).toHaveLength(1);
  });

  it('FA/FB: 9 digits, set + read-back in one write, to 1 Hz', () => {
    const r = newcat(model.profile);
    r.expectReply('FA007074055;FA;', 'FA007074055;');
    r.expectReply('FB007076000;FB;', 'FB007076000;');
    expect(r.rig.calls).toEqual(['setFreq VFOA 7074055', 'setFreq VFOB 7076000']);
    r.expectReply('FA7074000;', '?;');
    r.expectReply('FA0070740000;', '?;');
  });

  it('answers ?; to everything once the radio is unreachable past the grace period', () => {
    const r = newcat(model.profile);
    r.rig.offline = true;
    expect(r.send('FA;ID;')).toBe('?;?;');
    r.rig.offline = false;
    expect(r.send('FA;')).toBe('FA014074000;');
  });

  it('FB read-back: exactly the value just set, or ?; and the old value when the set is refused', () => {
    const r = newcat(model.profile, { freqB: 14_076_000 });
    // Hamlib compares this reply with its set string byte for byte (research/hamlib.md §5.1).
    expect(r.send('FB021076543;FB;')).toBe('FB021076543;');
    r.rig.refuse = true;
    // Refused: the read-back shows the radio's value, so Hamlib retries and reports the failure.
    expect(r.send('FB007000000;FB;')).toBe('?;FB021076543;');
  });

  it('MD0: every mode character of the model, DATA-USB C and DATA-LSB 8 included', () => {
    const r = newcat(model.profile);
    const table: [string, string][] = [
      ['1', 'LSB'],
      ['2', 'USB'],
      ['3', 'CW'],
      ['4', 'FM'],
      ['5', 'AM'],
      ['6', 'RTTY'],
      ['7', 'CWR'],
      ['8', 'PKTLSB'],
      ['9', 'RTTYR'],
      ['A', 'PKTFM'],
      ['C', 'PKTUSB'],
    ];
    for (const [char, mode] of table) {
      r.expectReply(`MD0${char};MD0;`, `MD0${char};`);
      expect(r.rig.current.mode, `MD0${char}`).toBe(mode);
    }
    // Narrow FM reads back as FM: the canonical model has no FM-N.
    r.expectReply('MD0B;MD0;', 'MD04;');
    // C4FM only on the FT-991A.
    r.expectReply('MD0E;', model.profile === 'ft991a' ? '' : '?;');
    r.expectReply('MD0G;', '?;');
    r.expectReply('MD0;', 'MD04;');
  });

  it('a data mode set elsewhere shows as C / 8; a new mode takes the default width', () => {
    const r = newcat(model.profile, { mode: 'PKTUSB', passband: 0 });
    r.expectReply('MD0;', 'MD0C;');
    r.expectReply('SH0;', model.sh(model.profile.startsWith('ftdx') ? 18 : 17)); // 3000 Hz
    r.rig.current.mode = 'PKTLSB';
    r.expectReply('MD0;', 'MD08;');
    r.expectReply('MD02;', '');
    expect(r.rig.calls).toEqual(['setMode VFOA USB 0']);
    r.expectReply('MD02;', ''); // already USB: nothing written
    expect(r.rig.calls).toHaveLength(1);
  });

  it(`SH: the width index in this model's format, both ways (Hamlib's tables)`, () => {
    const r = newcat(model.profile);
    r.expectReply('SH0;', model.sh(14)); // USB 2400
    const data = model.profile.startsWith('ftdx') ? 18 : 17;
    r.expectReply('MD0C;MD0;', 'MD0C;');
    r.expectReply(model.sh(data), '');
    expect(r.rig.current).toMatchObject({ mode: 'PKTUSB', passband: 3000 });
    r.expectReply('SH0;', model.sh(data));
    r.expectReply('MD03;', '');
    r.expectReply(model.sh(10), ''); // CW 500
    expect(r.rig.current).toMatchObject({ mode: 'CW', passband: 500 });
    // The other formats are not this radio's, but a radio with P2 fixed at 0 takes the short form too.
    const shortForm = model.sh(14) === 'SH0014;' ? 'SH014;' : null;
    for (const other of ['SH014;', 'SH0014;', 'SH0114;'].filter((s) => s !== model.sh(14) && s !== shortForm))
      r.expectReply(other, '?;');
    r.expectReply('SH0;', model.sh(10));
    if (shortForm) {
      r.expectReply('SH012;', '');
      const viaShort = r.rig.current.passband;
      r.expectReply(model.sh(10), '');
      r.expectReply(model.sh(12), '');
      expect(r.rig.current.passband).toBe(viaShort);
      expect(viaShort).not.toBe(500);
    }
  });

  it('NA0: the narrow key is read back', () => {
    const r = newcat(model.profile);
    r.expectReply('NA0;', 'NA00;');
    r.expectReply('NA01;NA0;', 'NA01;');
    r.expectReply('NA00;ID;', `ID${model.id};`);
    r.expectReply('NA0;', 'NA00;');
  });

  it('IF and OI: 27 characters + ;, frequency, mode and VFO/MEM where Hamlib reads them', () => {
    const r = newcat(model.profile, { freqA: 7_074_000, mode: 'PKTUSB', freqB: 7_076_000, modeB: 'CW' });
    const info = r.send('IF;');
    expect(info).toBe('IF001007074000+000000C00000;');
    expect(info).toHaveLength(28);
    expect(info[22]).toBe('0'); // VFO, not memory
    expect(r.send('OI;')).toBe('OI001007076000+000000300000;');
    r.expectReply('IF1;', '?;');
  });

  it('FT: FT2/FT3 set the TX VFO (split), answers are FT0/FT1', () => {
    const r = newcat(model.profile);
    r.expectReply('FT3;FT;', 'FT1;');
    expect(r.rig.current).toMatchObject({ split: true, txVfo: 'VFOB' });
    r.expectReply('FT2;FT;', 'FT0;');
    expect(r.rig.current.split).toBe(false);
    r.expectReply('FT1;FT;', 'FT1;');
    r.expectReply('FT0;FT;', 'FT0;');
    r.expectReply('FT4;', '?;');
  });

  it('ST: split on and off (the FT-891 and FTDX101D way)', () => {
    const r = newcat(model.profile);
    r.expectReply('ST1;', '');
    expect(r.rig.current).toMatchObject({ split: true, txVfo: 'VFOB' });
    r.expectReply('ST;', 'ST1;');
    r.expectReply('FT;', 'FT1;');
    r.expectReply('ST0;ID;', `ID${model.id};`);
    expect(r.rig.current.split).toBe(false);
    r.expectReply('ST;', 'ST0;');
    r.expectReply('ST3;', '?;');
  });

  it(
    model.vfoSelect ? 'VS selects VFO A/B; MD1/SH1 are VFO B' : 'no VS and no MD1: Hamlib emulates the VFO',
    () => {
      const r = newcat(model.profile, { modeB: 'CW', passbandB: 500 });
      if (model.vfoSelect) {
        r.expectReply('VS1;VS;', 'VS1;');
        expect(r.rig.current.vfo).toBe('VFOB');
        expect(r.send('IF;').slice(5, 14)).toBe('014076000');
        r.expectReply('MD1;', 'MD13;');
        r.expectReply('SH1;', 'SH1010;');
        r.expectReply('MD12;MD1;', 'MD12;');
        expect(r.rig.current.modeB).toBe('USB');
        r.expectReply('VS0;VS;', 'VS0;');
        expect(r.rig.current.vfo).toBe('VFOA');
      } else {
        r.expectReply('VS;', '?;');
        r.expectReply('VS1;', '?;');
        r.expectReply('MD1;', '?;');
        r.expectReply('SH1;', '?;');
        expect(r.rig.calls).toEqual([]);
      }
    },
  );

  it('TX: TX1;TX; keys and answers TX1, TX0;TX; unkeys; a refused key answers ?; and reads TX0', () => {
    const r = newcat(model.profile);
    r.expectReply('TX;', 'TX0;');
    r.expectReply('TX1;TX;', 'TX1;');
    expect(r.rig.current.ptt).toBe(true);
    r.expectReply('TX0;TX;', 'TX0;');
    r.rig.refuse = true;
    r.expectReply('TX1;TX;', '?;TX0;');
    r.expectReply('TX5;', '?;');
  });

  it("AB copies A to B (Hamlib's split-mode trick: AB;MD02;FB007076000;), BA and SV", () => {
    const r = newcat(model.profile, { freqA: 7_074_000, mode: 'PKTUSB', passband: 3000 });
    r.expectReply('AB;MD02;FB007076000;', '');
    expect(r.rig.calls).toEqual([
      'setFreq VFOB 7074000',
      'setMode VFOB PKTUSB 3000',
      'setMode VFOA USB 0',
      'setFreq VFOB 7076000',
    ]);
    expect(r.rig.current).toMatchObject({ freqB: 7_076_000, modeB: 'PKTUSB', mode: 'USB' });
    r.expectReply('SV;', '');
    expect(r.rig.current).toMatchObject({ freqA: 7_076_000, freqB: 7_074_000, mode: 'PKTUSB', modeB: 'USB' });
    r.expectReply('BA;', '');
    expect(r.rig.current).toMatchObject({ freqA: 7_074_000, mode: 'USB' });
    r.expectReply('AB1;', '?;');
  });

  it('BS: band select is accepted without an answer and changes nothing (Hamlib sets the frequency next)', () => {
    const r = newcat(model.profile);
    r.expectReply('BS03;', '');
    r.expectReply(model.vfoSelect ? 'VS1;BS03;VS;' : 'BS05;FA;', model.vfoSelect ? 'VS1;' : 'FA014074000;');
    expect(r.rig.calls.filter((c) => !c.startsWith('selectVfo'))).toEqual([]);
    r.expectReply('BS3;', '?;');
  });

  it('PS, AI, PC, SM0, RM5/RM6: power, auto-information, RF power and meters', () => {
    const r = newcat(model.profile, { rfPower: 0.5, strengthDb: 0 });
    r.expectReply('PS;', 'PS1;');
    r.expectReply('PS1;', '');
    r.expectReply('AI1;AI;', 'AI1;');
    r.expectReply('AI0;AI;', 'AI0;');
    r.expectReply('PC;', 'PC050;');
    r.expectReply('PC025;PC;', 'PC025;');
    expect(r.rig.current.rfPower).toBeCloseTo(0.25);
    r.expectReply('SM0;', model.meters.s9);
    r.expectReply('RM5;', 'RM5000;'); // receive: no power
    r.rig.current.ptt = true;
    r.expectReply('RM5;', model.meters.quarterPower);
    r.expectReply('RM6;', 'RM6000;'); // SWR 1:1
    r.expectReply('RM;', '?;');
  });

  it('menus and levels loggers read: answered as the radio, sets read back on this port', () => {
    const r = newcat(model.profile);
    r.expectReply('AG0;', 'AG0128;');
    r.expectReply('AG0100;AG0;', 'AG0100;');
    r.expectReply('KS;', 'KS020;');
    r.expectReply('UP;', '');
    const menu = model.profile === 'ft991a' ? 'EX032' : model.profile === 'ft891' ? 'EX0507' : 'RF0';
    const answer = r.send(`${menu};`);
    expect(answer).toMatch(new RegExp(`^${menu}\\d;$`));
    r.expectReply(`${menu}3;${menu};`, `${menu}3;`);
  });

  it('answers ?; to unknown and malformed commands, and keeps going', () => {
    const r = newcat(model.profile);
    r.expectReply('ZZ;', '?;');
    r.expectReply('ID1;', '?;');
    r.expectReply('MD;', '?;');
    r.expectReply('ZZ;ID;', `?;ID${model.id};`);
    expect(r.frames.map((f) => f.kind)).toEqual(['unknown', 'malformed', 'malformed', 'unknown', 'query']);
  });
});

describe('newcat per-model details', () => {
  it('FTDX10 and FTDX101D have a clock (DT0 date, DT1 time, DT2 zone); the FT-991A and FT-891 do not', () => {
    for (const profile of ['ftdx10', 'ftdx101d']) {
      const r = newcat(profile);
      expect(r.send('DT0;')).toMatch(/^DT0\d{8};$/);
      expect(r.send('DT1;')).toMatch(/^DT1\d{6};$/);
      r.expectReply('DT2;', 'DT2+0000;');
    }
    for (const profile of ['ft991a', 'ft891']) newcat(profile).expectReply('DT0;', '?;');
  });

  it('FT-891: Hamlib ends every mode set with AB; — the radio copies A to B, as the real one does', () => {
    // fixtures/hamlib-4.5.4/ft891.txt: MD02;MD0; NA00; ID; SH0114; AB;
    const r = newcat('ft891', { freqB: 14_076_000 });
    expect(r.send('MD02;MD0;')).toBe('MD02;');
    expect(r.send('NA00;')).toBe('');
    expect(r.send('ID;')).toBe('ID0650;');
    expect(r.send('SH0114;')).toBe('');
    expect(r.send('AB;')).toBe('');
    expect(r.rig.current).toMatchObject({ freqB: 14_074_000, modeB: 'USB' });
  });

  it('FTDX10/FTDX101D: RF02 (roofing filter after a mode set) is silent; the FT-991A has no RF', () => {
    newcat('ftdx10').expectReply('MD02;MD0;RF02;SH0014;', 'MD02;');
    newcat('ftdx101d').expectReply('RF02;RF0;', 'RF02;');
    newcat('ft991a').expectReply('RF02;', '?;');
  });

  it('sends IF on changes only when the port allows auto-information and the client asked for it (AI1)', () => {
    const quiet = newcat('ft991a');
    quiet.send('AI1;');
    quiet.rig.current.freqA = 7_000_000;
    quiet.emulator.stateChanged();
    expect(quiet.written).toEqual([]);

    const chatty = newcat('ft991a', {}, true);
    chatty.emulator.stateChanged();
    expect(chatty.written).toEqual([]);
    chatty.send('AI1;');
    chatty.rig.current.freqA = 7_000_000;
    chatty.emulator.stateChanged();
    expect(Buffer.from(chatty.written[0] ?? []).toString('latin1')).toBe('IF001007000000+000000200000;');
    chatty.written.length = 0;
    chatty.emulator.stateChanged();
    expect(chatty.written).toEqual([]);
  });
});
