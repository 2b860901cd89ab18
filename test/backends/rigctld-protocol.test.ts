import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/gateway/backends/backend.js';
import {
  checkExtendedReply,
  DesyncError,
  encodeCommand,
  formatNumber,
  frequencyRangesOf,
  LineSplitter,
  parseChkVfo,
  parseDumpState,
  parseGetVfo,
  parseHz,
  parseLevel,
  parseModeName,
  parsePtt,
  parseRigInfo,
  parseSplitVfo,
  parseVfoInfo,
  parseVfoName,
  rigErrorName,
  rprtCode,
  splitFields,
  targetableVfo,
} from '../../src/gateway/backends/rigctld-protocol.js';

const plain = { vfoMode: false };
const vfoMode = { vfoMode: true };

describe('encodeCommand', () => {
  it('uses the extended form and no VFO argument outside VFO mode', () => {
    expect(encodeCommand('get_freq', [], plain)).toBe('+f\n');
    expect(encodeCommand('set_freq', [14074000], plain)).toBe('+F 14074000\n');
    expect(encodeCommand('set_mode', ['PKTUSB', 3000], plain)).toBe('+M PKTUSB 3000\n');
    expect(encodeCommand('set_split_vfo', [1, 'VFOB'], plain)).toBe('+S 1 VFOB\n');
    expect(encodeCommand('get_level', ['RFPOWER'], plain)).toBe('+l RFPOWER\n');
    expect(encodeCommand('get_vfo_info', ['VFOB'], plain)).toBe('+\\get_vfo_info VFOB\n');
    expect(encodeCommand('dump_state', [], plain)).toBe('+\\dump_state\n');
  });

  it('puts the VFO first in VFO mode, currVFO by default, only on commands that take one', () => {
    expect(encodeCommand('get_freq', [], vfoMode)).toBe('+f currVFO\n');
    expect(encodeCommand('set_freq', [1], { vfoMode: true, vfo: 'VFOB' })).toBe('+F VFOB 1\n');
    expect(encodeCommand('set_level', ['RFPOWER', 0.25], vfoMode)).toBe('+L currVFO RFPOWER 0.25\n');
    expect(encodeCommand('get_vfo', [], vfoMode)).toBe('+v\n');
    expect(encodeCommand('set_vfo', ['VFOB'], vfoMode)).toBe('+V VFOB\n');
    expect(encodeCommand('get_vfo_info', ['VFOA'], vfoMode)).toBe('+\\get_vfo_info VFOA\n');
  });

  it('refuses a VFO argument outside VFO mode (rigctld would read it as a second command)', () => {
    expect(() => encodeCommand('get_freq', [], { vfoMode: false, vfo: 'VFOB' })).toThrow(BackendError);
  });

  it('refuses arguments that would split into more tokens or lines', () => {
    for (const bad of ['USB 2400', 'USB\nT 1', '', 'a;b']) {
      expect(() => encodeCommand('set_mode', [bad, 0], plain)).toThrow(BackendError);
    }
    expect(() => encodeCommand('set_freq', [Number.NaN], plain)).toThrow(BackendError);
  });

  it('formats numbers without exponents', () => {
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(1)).toBe('1');
    expect(formatNumber(1e-7)).toBe('0');
    expect(formatNumber(123456789012)).toBe('123456789012');
    expect(formatNumber(1 / 3)).toBe('0.333333');
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks and strips CR', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('get_fr')).toEqual([]);
    expect(splitter.push('eq:\nFrequency: 1\r\nRP')).toEqual(['get_freq:', 'Frequency: 1']);
    expect(splitter.push('RT 0\n')).toEqual(['RPRT 0']);
  });

  it('throws on a line beyond the cap and recovers after reset', () => {
    const splitter = new LineSplitter(10);
    expect(() => splitter.push('x'.repeat(11))).toThrow(BackendError);
    expect(splitter.push('ok\n')).toEqual(['ok']);
  });
});

describe('extended answers', () => {
  it('finds RPRT codes', () => {
    expect(rprtCode('RPRT 0')).toBe(0);
    expect(rprtCode('RPRT -11')).toBe(-11);
    expect(rprtCode('RPRT')).toBeNull();
    expect(rprtCode('xRPRT 0')).toBeNull();
    expect(rigErrorName(-11)).toBe('ENAVAIL');
    expect(rigErrorName(-99)).toBe('error -99');
  });

  it('checks the header against the command (rigctld 4.5.4 transcripts)', () => {
    expect(checkExtendedReply('get_freq', ['get_freq:', 'Frequency: 14074000', 'RPRT 0'])).toEqual({
      code: 0,
      values: ['Frequency: 14074000'],
    });
    expect(checkExtendedReply('set_freq', ['set_freq: VFOB 7000001', 'RPRT 0']).values).toEqual([]);
    expect(checkExtendedReply('get_ptt', ['get_ptt:', 'RPRT -11']).code).toBe(-11);
    expect(checkExtendedReply('get_vfo', ['get_vfo: currVFO', 'VFO: Sub', 'RPRT 0']).values).toEqual([
      'VFO: Sub',
    ]);
    expect(checkExtendedReply('set_ptt', ['RPRT -1']).code).toBe(-1);
  });

  it('calls a foreign header a desync', () => {
    expect(() => checkExtendedReply('get_mode', ['get_freq:', 'Frequency: 1', 'RPRT 0'])).toThrow(
      DesyncError,
    );
    expect(() => checkExtendedReply('get_freq', ['get_frequency:', 'RPRT 0'])).toThrow(DesyncError);
    expect(() => checkExtendedReply('get_freq', ['hello', 'RPRT 0'])).toThrow(DesyncError);
    expect(() => checkExtendedReply('get_freq', ['get_freq:'])).toThrow(DesyncError);
  });
});

describe('value parsers', () => {
  it('reads frequencies in both of Hamlib’s spellings', () => {
    expect(parseHz('14074000')).toBe(14074000);
    expect(parseHz('14074000.000000')).toBe(14074000);
    expect(parseHz('1')).toBe(1);
    for (const bad of ['-5', '', 'abc', '1e6', undefined]) expect(parseHz(bad)).toBeNull();
  });

  it('takes no frequency or width that is not a safe whole number of Hz', () => {
    for (const bad of ['1e300', '1e20', '99999999999999999999999', '100000000000000000000', '-1', 'NaN'])
      expect(parseHz(bad), bad).toBeNull();
    expect(parseHz('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    const info = (freq: string, width: string) => [`Freq: ${freq}`, 'Mode: USB', `Width: ${width}`];
    expect(parseVfoInfo(info('14074000.000000', '2400'))).toEqual({
      freq: 14074000,
      mode: 'USB',
      width: 2400,
    });
    for (const [freq, width] of [
      ['1e300', '2400'],
      ['99999999999999999999999', '2400'],
      ['-14074000', '2400'],
      ['14074000', '1e20'],
      ['14074000', '99999999999999999999999'],
      ['14074000', '-1'],
      ['14074000', 'NaN'],
    ] as const) {
      expect(() => parseVfoInfo(info(freq, width)), `${freq} ${width}`).toThrow(BackendError);
    }
  });

  it('maps Hamlib VFO names onto two VFOs', () => {
    expect(['VFOA', 'Main', 'MainA'].map(parseVfoName)).toEqual(['VFOA', 'VFOA', 'VFOA']);
    expect(['VFOB', 'Sub', 'SubA'].map(parseVfoName)).toEqual(['VFOB', 'VFOB', 'VFOB']);
    for (const other of ['VFOC', 'MEM', 'currVFO', 'MainB', 'SubB', 'None', ''])
      expect(parseVfoName(other)).toBeNull();
  });

  it('maps Hamlib mode names, including the -D and -R spellings rigctld 4.5.4 answers with', () => {
    expect(parseModeName('PKTUSB')).toBe('PKTUSB');
    expect(parseModeName('FM-D')).toBe('PKTFM');
    expect(parseModeName('AM-D')).toBe('PKTAM');
    expect(parseModeName('USB-D')).toBe('PKTUSB');
    expect(parseModeName('CW-R')).toBe('CWR');
    expect(parseModeName('SAM')).toBeNull();
    expect(parseModeName('None')).toBeNull();
  });

  it('parses the answers of the commands read() uses', () => {
    expect(parseGetVfo(['VFO: Sub'])).toBe('Sub');
    expect(parseVfoInfo(['Freq: 146000000', 'Mode: FM', 'Width: 15000', 'Split: 0', 'SatMode: 0'])).toEqual({
      freq: 146000000,
      mode: 'FM',
      width: 15000,
    });
    expect(parseSplitVfo(['Split: 1', 'TX VFO: VFOB'])).toEqual({ split: true, txVfo: 'VFOB' });
    expect(parsePtt(['PTT: 0'])).toBe(false);
    expect(parsePtt(['PTT: 3'])).toBe(true);
    expect(parseLevel(['0.250000'])).toBe(0.25);
    expect(parseLevel(['-44'])).toBe(-44);
  });

  it('rejects malformed answers with a BackendError', () => {
    expect(() => parseGetVfo([])).toThrow(BackendError);
    expect(() => parseVfoInfo(['Freq: x', 'Mode: FM', 'Width: 1'])).toThrow(BackendError);
    expect(() => parseVfoInfo(['Freq: 1', 'Width: 1'])).toThrow(BackendError);
    expect(() => parseSplitVfo(['Split: 2', 'TX VFO: VFOA'])).toThrow(BackendError);
    expect(() => parsePtt(['PTT: on'])).toThrow(BackendError);
    expect(() => parseLevel([''])).toThrow(BackendError);
    expect(() => parseLevel(['1', '2'])).toThrow(BackendError);
  });

  it('separates Key: value lines from bare ones', () => {
    expect(splitFields(['TX VFO: VFOA', '0.5', 'Split: 1'])).toEqual({
      fields: new Map([
        ['TX VFO', 'VFOA'],
        ['Split', '1'],
      ]),
      bare: ['0.5'],
    });
  });

  it('reads \\chk_vfo in its plain and + forms', () => {
    expect(parseChkVfo('0')).toBe(false);
    expect(parseChkVfo('1')).toBe(true);
    expect(parseChkVfo('ChkVFO: 1')).toBe(true);
    expect(parseChkVfo('RPRT -1')).toBeNull();
    expect(parseChkVfo('2')).toBeNull();
  });

  it('reads \\dump_state: model and the key=value tail', () => {
    // Head and tail of the 4.5.4 dummy's answer (research/hamlib-captures/rigctld/rigctld_m1_transcript.txt).
    const values = [
      '1',
      '1',
      '0',
      '150000.000000 1500000000.000000 0x1ff -1 -1 0x77e00007 0xf',
      '0 0 0 0 0 0 0',
      '0xffffffffffffffbf',
      'vfo_ops=0x7ffffff',
      'ptt_type=0x1',
      'targetable_vfo=0x10c3',
      'has_get_vfo=1',
      'rig_model=1',
      'rigctld_version=Hamlib 4.5.4 Jan 10 01:31:41Z 2023 SHA=921cc5',
      'done',
    ];
    const state = parseDumpState(values);
    expect(state.protocolVersion).toBe(1);
    expect(state.rigModel).toBe(1);
    expect(state.params.get('has_get_vfo')).toBe('1');
    expect(state.params.get('rigctld_version')).toContain('4.5.4');
    expect(targetableVfo(state)).toBe(0x10c3);
    expect(targetableVfo(parseDumpState(['1', '2']))).toBeNull();
    expect(() => parseDumpState(['x'])).toThrow(BackendError);
  });
});

describe('frequency ranges from \\dump_state', () => {
  /** `+\\dump_state` after `\\chk_vfo`, as rigctld 4.5.4 -m 1 -P RIG answered it (trailing spaces are its own). */
  const capture = readFileSync(new URL('./fixtures/rigctld-m1-dump-state.txt', import.meta.url), 'latin1')
    .split('\n')
    .filter((line, i, all) => i < all.length - 1 || line !== '');
  const values = checkExtendedReply('dump_state', capture).values;

  it('reads the RX and TX ranges of the real dummy rig and merges them', () => {
    // RX: 150000.000000 1500000000.000000 …, TX: the same band with 5-100 W: one range.
    const state = parseDumpState(values);
    expect(state.ranges).toEqual([{ fromHz: 150_000, toHz: 1_500_000_000 }]);
    expect(state.params.get('rig_model')).toBe('1'); // the key=value tail is still read
  });

  /** The capture with its two range lists replaced. */
  const withRanges = (rx: string[], tx: string[]) => [
    ...values.slice(0, 3),
    ...rx,
    '0 0 0 0 0 0 0',
    ...tx,
    '0 0 0 0 0 0 0',
    ...values.slice(7),
  ];

  it('unites RX and TX lists: overlapping and adjacent ranges merge, gaps stay', () => {
    const line = (from: number, to: number) => `${from}.000000 ${to}.000000 0x1ff -1 -1 0x3 0x1`;
    const ranges = frequencyRangesOf(
      withRanges(
        [line(30_000, 60_000_000), line(108_000_000, 174_000_000)],
        [line(1_800_000, 2_000_000), line(60_000_001, 60_000_100), line(144_000_000, 148_000_000)],
      ),
    );
    expect(ranges).toEqual([
      { fromHz: 30_000, toHz: 60_000_100 },
      { fromHz: 108_000_000, toHz: 174_000_000 },
    ]);
    // An empty TX list (a receiver) still gives the RX ranges.
    expect(frequencyRangesOf(withRanges([line(100_000, 200_000)], []))).toEqual([
      { fromHz: 100_000, toHz: 200_000 },
    ]);
  });

  it('gives null, never a wrong band, when the lists are absent or not as expected', () => {
    expect(parseDumpState(['1', '2']).ranges).toBeNull();
    expect(frequencyRangesOf(withRanges([], []))).toBeNull();
    expect(frequencyRangesOf(withRanges(['200 100 0x1ff -1 -1 0x3 0x1'], []))).toBeNull(); // reversed
    expect(frequencyRangesOf(withRanges(['1e300 1e301 0x1ff -1 -1 0x3 0x1'], []))).toBeNull();
    expect(frequencyRangesOf(withRanges(['0xc 2400'], []))).toBeNull(); // a filter line, not a range
    expect(frequencyRangesOf(values.slice(0, 4))).toBeNull(); // no end marker
    expect(frequencyRangesOf(['2', ...values.slice(1)])).toBeNull(); // an unknown protocol version
  });
});

describe('robustness (property)', () => {
  it('random text never makes the splitter or parsers throw anything but a BackendError', () => {
    const parsers = [parseGetVfo, parseVfoInfo, parseSplitVfo, parsePtt, parseLevel, parseDumpState];
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 8 }), (chunks) => {
        const splitter = new LineSplitter(256);
        const lines: string[] = [];
        for (const chunk of chunks) {
          try {
            lines.push(...splitter.push(chunk));
          } catch (err) {
            expect(err).toBeInstanceOf(BackendError);
          }
        }
        for (const parse of parsers) {
          try {
            parse(lines);
          } catch (err) {
            expect(err).toBeInstanceOf(BackendError);
          }
        }
        for (const line of lines) {
          parseChkVfo(line);
          parseHz(line);
          rprtCode(line);
        }
        try {
          checkExtendedReply('get_freq', lines);
        } catch (err) {
          expect(err).toBeInstanceOf(BackendError);
        }
      }),
    );
  });
});

describe('parseRigInfo (\\get_rig_info, Hamlib 4.5.4 as answered by rigctld -m 1)', () => {
  const lines = (split: 0 | 1, txA: 0 | 1) => [
    `VFO=Main Freq=14074000 Mode=PKTUSB Width=3000 RX=1 TX=${txA}`,
    `VFO=Sub Freq=7074000 Mode=LSB Width=2400 RX=0 TX=${1 - txA}`,
    `Split=${split} SatMode=0`,
    'Rig=Dummy',
    'App=Hamlib',
    'Version=20210506 1.0.0',
    'CRC=0xaf7a46f6',
    '',
  ];

  it('gives both VFOs, split and the VFO marked TX', () => {
    expect(parseRigInfo(lines(0, 1))).toEqual({
      a: { freq: 14074000, mode: 'PKTUSB', width: 3000 },
      b: { freq: 7074000, mode: 'LSB', width: 2400 },
      split: false,
      txVfo: 'VFOA',
    });
    expect(parseRigInfo(lines(1, 0))).toMatchObject({ split: true, txVfo: 'VFOB' });
  });

  it('refuses an answer missing a VFO, the split line, or with an unsafe number', () => {
    expect(() => parseRigInfo(lines(0, 1).slice(1))).toThrow(BackendError);
    expect(() => parseRigInfo(lines(0, 1).filter((l) => !l.startsWith('Split')))).toThrow(BackendError);
    const huge = lines(0, 1);
    huge[0] = huge[0]!.replace('14074000', '1e300');
    expect(() => parseRigInfo(huge)).toThrow(BackendError);
  });
});
