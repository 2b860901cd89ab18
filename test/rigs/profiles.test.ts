import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KenwoodProfile } from '../../src/rigs/kenwood/profile.js';
import { listProfiles, loadProfile } from '../../src/rigs/profiles.js';

describe('rig profiles', () => {
  it('ships every model with the Hamlib model a user chooses for it', () => {
    const models = Object.fromEntries(listProfiles().map((p) => [p.key, p.hamlib.model]));
    expect(models).toEqual({
      ...{ ts2000: 2014, ts590sg: 2037, ts480: 2028, k3: 2029, ic7300: 3073, ic705: 3085, ic9700: 3081 },
      ...{ ic7610: 3078, ft991a: 1035, ftdx10: 1042, ft891: 1036, ftdx101d: 1040, ft817: 1020 },
      ...{ ft818: 1041, ft857: 1022, ft897: 1023 },
      // Issue 15. The FT-450D answers to Hamlib's FT-450 (1027): its own 1046 refuses every command.
      ...{ ts590s: 2031, ts890s: 2041, ts990s: 2039, qcx: 2052, k3s: 2043, kx3: 2045, kx2: 2044, k4: 2047 },
      ...{ powersdr: 2048 },
      ...{ flex6000: 2036, ft710: 1049, ftdx3000: 1037, ft950: 1028, ft450d: 1027, ic7100: 3070 },
      ...{ ic7600: 3063, ic9100: 3068, ic706mk2g: 3011, x6100: 3087, g90: 3088 },
    });
  });

  it('a new Kenwood-family radio is only a YAML file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const ts2000 = loadProfile('ts2000') as KenwoodProfile;
    const file = join(dir, 'ts570.yaml');
    writeFileSync(
      file,
      `family: kenwood\nname: Kenwood TS-570D\nhamlib: { model: 2004, name: TS-570D }\nid: "017"\nmax_power_w: 100\ndata_mode: none\nfilter: none\nsmeter: ${JSON.stringify(ts2000.smeter)}\n`,
    );
    const profile = loadProfile(file);
    expect(profile).toMatchObject({ family: 'kenwood', id: '017', name: 'Kenwood TS-570D' });
  });

  it('names the file, line, column and key of an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'family: kenwood\nname: X\nhamlib: { model: 1, name: X }\nid: 19\ncolour: red\n');
    expect(() => loadProfile(file)).toThrow(`${file}:5:1: colour: unknown key`);
    expect(() => loadProfile(file)).toThrow(`${file}:4:1: id: expected text, found the number 19`);
    expect(() => loadProfile(file)).toThrow(
      `${file}:1:1: data_mode: required, but missing (one of none, da, k3_dt)`,
    );
    writeFileSync(file, 'family: kenwod\n');
    expect(() => loadProfile(file)).toThrow(
      `${file}:1:1: family: unknown or missing family "kenwod" (did you mean "kenwood"?`,
    );
  });

  it('checks mode_digits: an MD digit to a canonical mode, or null', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const ts2000 = loadProfile('ts2000') as KenwoodProfile;
    const file = join(dir, 'ts570.yaml');
    const base = `family: kenwood\nname: Kenwood TS-570D\nhamlib: { model: 2004, name: TS-570D }\nid: "017"\nmax_power_w: 100\ndata_mode: none\nfilter: none\nsmeter: ${JSON.stringify(ts2000.smeter)}\n`;
    writeFileSync(file, `${base}mode_digits: { D: PKTUSB, "7": null }\n`);
    expect((loadProfile(file) as KenwoodProfile).mode_digits).toEqual({ D: 'PKTUSB', '7': null });
    writeFileSync(file, `${base}mode_digits: { D: DIGU }\n`);
    expect(() => loadProfile(file)).toThrow(/ts570\.yaml:9:\d+: mode_digits\.D: .*PKTUSB/);
    writeFileSync(file, `${base}mode_digits: { G: PKTUSB }\n`);
    expect(() => loadProfile(file)).toThrow(/ts570\.yaml:9:\d+: mode_digits\.G: .*one MD digit/);
  });

  it('says which profiles exist when a name is unknown', () => {
    expect(() => loadProfile('ts9999')).toThrow(
      // Other families' profiles are listed too (in name order); the Kenwood ones must be there.
      /no rig profile "ts9999" \((did you mean "\w+"\? )?known: [^)]*\bk3, [^)]*\bts2000, ts480, ts590s, ts590sg\b/,
    );
  });
});
