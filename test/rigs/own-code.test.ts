/**
 * "Adding a model of a known family needs a YAML file, not code" (DESIGN.md), measured on the shipped
 * profiles. A switch (an enum value, flag, named capability or optional part of a profile) that only one
 * profile turns on is family code serving that radio alone; a model whose switches all serve another
 * profile too needs nothing but its YAML file.
 */
import { describe, expect, it } from 'vitest';
import { listProfiles, loadProfile } from '../../src/rigs/profiles.js';
import { ownSwitches, switchesOf } from './own-code.js';

/** The twenty models issue 15 added. */
const ADDED = [
  ...['ft710', 'ftdx3000', 'ft450d', 'ft950', 'ts890s', 'ts990s', 'ts590s', 'k4', 'k3s', 'kx3', 'kx2'],
  ...['qcx', 'flex6000', 'powersdr', 'ic7100', 'ic7600', 'ic9100', 'ic706mk2g', 'x6100', 'g90'],
];

describe('which models are only a YAML file', () => {
  const own = ownSwitches(listProfiles());

  it('of the twenty added by issue 15, sixteen turn on nothing another profile does not', () => {
    const added = Object.fromEntries(ADDED.filter((key) => own.has(key)).map((key) => [key, own.get(key)]));
    expect(added).toEqual({
      // RMn1; switches meter n on without an answer; RM; answers all of those on.
      ts890s: ['meters=switched'],
      // Main/Sub by CB, split by TB, modes by OM0/OM1 (kenwood/main-sub-commands.ts).
      ts990s: ['capabilities:band_select', 'capabilities:operating_mode', 'capabilities:tx_band'],
      // ZZFL/ZZFH filter edges; the Flex shares the other ZZ commands.
      powersdr: ['capabilities:zz_filter_edges'],
      // Network-only in Hamlib: served on CAT over TCP, no pty.
      flex6000: ['serial absent'],
    });
    expect(ADDED.length - Object.keys(added).length).toBe(16);
  });

  it('reads the switches from the schema: a capability, an enum value, an optional part', () => {
    const kx3 = switchesOf(loadProfile('kx3'));
    expect(kx3).toContain('capabilities:power_output');
    expect(kx3).toContain('data_mode=k3_dt');
    expect(kx3).toContain('serial present');
    expect(switchesOf(loadProfile('ic7300'))).toContain('supply_meters present');
    // Tables are data: the TS-890S's mode digits are no switch.
    expect([...switchesOf(loadProfile('ts890s'))].filter((s) => s.includes('mode_digits'))).toEqual([]);
  });
});
