/**
 * Golden tests for the Flex/PowerSDR ZZ extensions of the Kenwood dialect (kenwood/zz-commands.ts), as
 * Hamlib 4.5.4's flex6xxx.c uses them (capture captures/powersdr.wire.txt).
 */
import { describe, expect, it } from 'vitest';
import { radio } from './harness.js';

describe('PowerSDR/Thetis (ZZ)', () => {
  it('answers its open (ID; IF; FA; FB; ZZMD;) as a TS-2000 with ZZ modes', () => {
    const r = radio('powersdr');
    r.expectReply('ID;', 'ID019;');
    expect(r.send('IF;')).toHaveLength(38);
    r.expectReply('FA;FB;ZZMD;', 'FA00014074000;FB00014076000;ZZMD01;');
    r.expectReply('ZZFA;', 'ZZFA00014074000;');
  });

  it('sets modes by ZZMD number (07 DIGU = PKTUSB, 09 DIGL = PKTLSB, 04 CWU = CW); DSB/SAM have no canonical mode', () => {
    const r = radio('powersdr');
    r.expectReply('ZZMD07;ID;', 'ID019;');
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('ZZMD09;ID;ZZMD;', 'ID019;ZZMD09;');
    expect(r.rig.current.mode).toBe('PKTLSB');
    r.expectReply('ZZMD04;ID;', 'ID019;');
    expect(r.rig.current.mode).toBe('CW');
    r.expectReply('ZZMD02;', '?;');
    r.expectReply('ZZMD10;', '?;');
    expect(r.rig.current.mode).toBe('CW');
  });

  it('takes the filter by ZZFI index and reads it back as ZZFL/ZZFH edges (Hamlib reads the width as high − low)', () => {
    const r = radio('powersdr', { mode: 'USB', passband: 2400 });
    r.expectReply('ZZFI;', 'ZZFI06;');
    r.expectReply('ZZFI04;ID;', 'ID019;');
    expect(r.rig.current.passband).toBe(2900);
    r.expectReply('ZZFL;ZZFH;', 'ZZFL00100;ZZFH03000;');
    // Hamlib's wide data filter: ZZFL00150;ZZFH05000; makes 4850 Hz.
    r.expectReply('ZZFL00150;ZZFH05000;', '');
    expect(r.rig.current.passband).toBe(4850);
    r.expectReply('ZZFI99;', '?;');
  });

  it('keys with ZZTX and reads it back as Hamlib compares it (ZZTX1;ZZTX; → ZZTX1;)', () => {
    const r = radio('powersdr');
    r.expectReply('ZZTX1;ZZTX;', 'ZZTX1;');
    expect(r.rig.current.ptt).toBe(true);
    r.expectReply('ZZTX0;ZZTX;', 'ZZTX0;');
    expect(r.rig.current.ptt).toBe(false);
  });

  it('meters: ZZRM0 the S-meter in dBm (S9 = −73), ZZRM5 forward watts in transmit; ZZPC drive in percent', () => {
    const r = radio('powersdr', { strengthDb: -24, rfPower: 0.5 });
    r.expectReply('ZZRM0;', 'ZZRM0-097;');
    r.expectReply('ZZRM5;', 'ZZRM5000;');
    r.expectReply('ZZPC;', 'ZZPC050;');
    r.expectReply('ZZTX1;ZZRM5;', 'ZZRM5050;');
    r.expectReply('ZZPC075;', '');
    expect(r.rig.current.rfPower).toBe(0.75);
    r.expectReply('ZZPC101;', '?;');
  });

  it('a Kenwood radio without the ZZ capabilities answers ZZ commands ?; as the TS-2000 does', () => {
    radio('ts2000').expectReply('ZZFA;', '?;');
  });
});

describe('FLEX-6000 (SmartSDR CAT)', () => {
  it('answers its open (ID; AI; AI0; ID; IF; FA; MD; ZZFI;) with the Flex mode table', () => {
    const r = radio('flex6000', { mode: 'PKTUSB', passband: 3000 });
    r.expectReply('ID;AI;AI0;ID;', 'ID904;AI0;ID904;');
    expect(r.send('IF;')).toHaveLength(38);
    r.expectReply('FA;MD;ZZFI;', 'FA00014074000;MD9;ZZFI00;');
  });

  it('MD6 is DIGL (PKTLSB), MD9 DIGU (PKTUSB); there is no MD7', () => {
    const r = radio('flex6000');
    r.expectReply('MD6;ID;', 'ID904;');
    expect(r.rig.current.mode).toBe('PKTLSB');
    r.expectReply('MD9;ID;', 'ID904;');
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('MD7;', '?;');
  });

  it('shows what it has no digit for as its nearest: RTTY on DIGU, CW-R as CW', () => {
    radio('flex6000', { mode: 'RTTY' }).expectReply('MD;', 'MD9;');
    radio('flex6000', { mode: 'RTTYR' }).expectReply('MD;', 'MD6;');
    radio('flex6000', { mode: 'CWR' }).expectReply('MD;', 'MD3;');
    radio('flex6000', { mode: 'PKTFM' }).expectReply('MD;', 'MD4;');
    // A wide-FM radio behind shows as FM on a Kenwood-family port (no WFM digit), not as USB.
    radio('ts2000', { mode: 'WFM' }).expectReply('MD;', 'MD4;');
  });

  it('sets the width by ZZFI (VFO A) and ZZFJ (VFO B) on its own tables', () => {
    const r = radio('flex6000', { mode: 'USB', passband: 2700, modeB: 'CW', passbandB: 400 });
    r.expectReply('ZZFI;ZZFJ;', 'ZZFI03;ZZFJ04;');
    r.expectReply('ZZFI04;', '');
    expect(r.rig.current.passband).toBe(2400);
    r.expectReply('ZZFJ06;', '');
    expect(r.rig.current.passbandB).toBe(100);
  });
});
