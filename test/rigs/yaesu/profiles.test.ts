import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listProfiles, loadProfile } from '../../../src/rigs/profiles.js';
import { newcat } from './harness.js';

describe('Yaesu profiles', () => {
  it('ships the eight Yaesu models, each naming the Hamlib model a user picks', () => {
    const models = Object.fromEntries(
      listProfiles().map((p) => [p.key, { family: p.family, model: p.hamlib.model, name: p.hamlib.name }]),
    );
    expect(models).toMatchObject({
      ft991a: { family: 'yaesu_newcat', model: 1035, name: 'FT-991' }, // Hamlib 4.5.4 has no FT-991A
      ftdx10: { family: 'yaesu_newcat', model: 1042, name: 'FTDX-10' },
      ft891: { family: 'yaesu_newcat', model: 1036, name: 'FT-891' },
      ftdx101d: { family: 'yaesu_newcat', model: 1040, name: 'FTDX-101D' },
      ft817: { family: 'yaesu_legacy', model: 1020, name: 'FT-817' },
      ft818: { family: 'yaesu_legacy', model: 1041, name: 'FT-818' },
      ft857: { family: 'yaesu_legacy', model: 1022, name: 'FT-857' },
      ft897: { family: 'yaesu_legacy', model: 1023, name: 'FT-897' },
    });
  });

  it('a new newcat radio is only a YAML file (an FT-950: ID0310, Hamlib 1028)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const file = join(dir, 'ft950.yaml');
    const ftdx10 = loadProfile('ftdx10');
    if (ftdx10.family !== 'yaesu_newcat') throw new Error('ftdx10 is newcat');
    writeFileSync(
      file,
      [
        'family: yaesu_newcat',
        'name: Yaesu FT-950',
        'hamlib: { model: 1028, name: FT-950 }',
        'id: "0310"',
        'vfo_select: true',
        'width_format: SH00nn',
        `widths: ${JSON.stringify(ftdx10.widths)}`,
        'default_widths: { ssb: 2400, cw: 500, data: 3000 }',
        'mode_chars: "123456789ABCD"',
        'max_power_w: 100',
        'smeter: { s9: 130, max: 255 }',
        '',
      ].join('\n'),
    );
    expect(loadProfile(file)).toMatchObject({ family: 'yaesu_newcat', id: '0310', name: 'Yaesu FT-950' });
  });

  it('names the file, line and key of a bad 5-byte profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'family: yaesu_legacy\nname: X\nhamlib: { model: 1, name: X }\neeprom: { vfo: 0x55, split: 0x7A }\ndig_submodes: []\ndig_default: USER-U\nmax_power_w: 5\n',
    );
    expect(() => loadProfile(file)).toThrow(`${file}:4:1: eeprom.dig_mode`);
    expect(() => loadProfile(file)).toThrow(`${file}:5:1: dig_submodes: must list at least 1 item, not 0`);
  });

  it('the FT-991A port answers ID0670, which Hamlib 4.5.4 model 1035 accepts as an FT-991', () => {
    newcat('ft991a').expectReply('ID;', 'ID0670;');
  });
});
