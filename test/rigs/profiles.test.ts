import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KenwoodProfile } from '../../src/rigs/kenwood/profile.js';
import { listProfiles, loadProfile } from '../../src/rigs/profiles.js';

describe('rig profiles', () => {
  it('ships the four Kenwood-family models with their Hamlib models', () => {
    const models = Object.fromEntries(listProfiles().map((p) => [p.key, p.hamlib.model]));
    expect(models).toMatchObject({ ts2000: 2014, ts590sg: 2037, ts480: 2028, k3: 2029 });
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

  it('says which profiles exist when a name is unknown', () => {
    expect(() => loadProfile('ts9999')).toThrow(
      // Other families' profiles are listed too (in name order); the Kenwood ones must be there.
      /no rig profile "ts9999" \(known: [^)]*\bk3, [^)]*\bts2000, ts480, ts590sg\b/,
    );
  });
});
