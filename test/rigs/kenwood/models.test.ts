/**
 * Golden tests for the TS-590SG, TS-480 and K3 as Hamlib 4.5.4's backends talk to them
 * (research/hamlib.md §3.5–3.7; transcripts ts590sg.txt, ts480.txt, k3.txt, levels_*.txt).
 */
import { describe, expect, it } from 'vitest';
import { radio } from './harness.js';

describe('TS-590SG', () => {
  it('answers its open probes, DA; included', () => {
    const r = radio('ts590sg');
    r.expectReply('ID;', 'ID023;');
    r.expectReply('PS;', 'PS1;');
    expect(r.send('IF;')).toHaveLength(38);
    r.expectReply('AI;', 'AI0;');
    r.expectReply('FA;FB;MD;DA;', 'FA00014074000;FB00014076000;MD2;DA0;');
  });

  it('PKTUSB is MD2 + DA1, and MD2 alone is plain USB again', () => {
    const r = radio('ts590sg');
    r.expectReply('DA1;ID;', 'ID023;');
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('MD;DA;', 'MD2;DA1;');
    r.expectReply('MD2;ID;', 'ID023;');
    expect(r.rig.current.mode).toBe('USB');
    r.expectReply('MD1;ID;DA1;ID;', 'ID023;ID023;');
    expect(r.rig.current.mode).toBe('PKTLSB');
    r.expectReply('MD2;ID;DA0;ID;', 'ID023;ID023;');
    expect(r.rig.current.mode).toBe('USB');
    r.expectReply('DA7;', '?;');
  });

  it('data PTT (TX1) keys the transmitter', () => {
    const r = radio('ts590sg');
    r.expectReply('TX1;ID;', 'ID023;');
    expect(r.rig.current.ptt).toBe(true);
  });

  it('has no satellite mode query (Hamlib does not send SA; to a 590)', () => {
    radio('ts590sg').expectReply('SA;', '?;');
  });
});

describe('TS-480', () => {
  it('answers FW in its open and the SSB filter codes', () => {
    const r = radio('ts480', { passband: 2400 });
    r.expectReply('ID;', 'ID020;');
    r.expectReply('FW;', 'FW0000;');
    r.expectReply('FW0001;ID;', 'ID020;');
    expect(r.rig.current.passband).toBe(500);
    r.expectReply('FW;', 'FW0001;');
  });

  it('reads CW widths in Hz', () => {
    const r = radio('ts480', { mode: 'CW', passband: 500 });
    r.expectReply('FW;', 'FW0500;');
    r.expectReply('FW0250;', '');
    expect(r.rig.current.passband).toBe(250);
  });

  it('answers RM; with exactly 24 bytes (three meters, no stop character read by Hamlib)', () => {
    const r = radio('ts480');
    const answer = r.send('RM;');
    expect(answer).toBe('RM10000;RM20000;RM30000;');
    expect(answer).toHaveLength(24);
  });
});

describe('Elecraft K3', () => {
  it('answers the open sequence: ID, K22, OM (15 characters), K2, K3, RVM, AI', () => {
    const r = radio('k3');
    r.expectReply('ID;', 'ID017;');
    r.expectReply('K22;', '');
    r.expectReply('ID;', 'ID017;');
    const om = r.send('OM;');
    expect(om).toBe('OM ------------;');
    expect(om.length - 1).toBe(15);
    r.expectReply('K2;', 'K22;');
    r.expectReply('K3;', 'K30;');
    r.expectReply('RVM;', 'RVM05.67;');
    r.expectReply('AI;', 'AI0;');
    r.expectReply('AI0;', '');
    r.expectReply('FA;FB;', 'FA00014074000;FB00014076000;');
    r.expectReply('MD;BW;', 'MD2;BW0240;');
  });

  it('PKTUSB is MD6 + DT0 (DATA A), PKTLSB MD9, FSK D is RTTY', () => {
    const r = radio('k3');
    r.expectReply('MD6;ID;', 'ID017;');
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('MD;DT;', 'MD6;DT0;');
    r.expectReply('BW0300;ID;', 'ID017;');
    expect(r.rig.current.passband).toBe(3000);
    r.expectReply('DT2;', '');
    expect(r.rig.current.mode).toBe('RTTY');
    r.expectReply('MD;DT;', 'MD6;DT2;');
    r.expectReply('DT0;MD9;', '');
    expect(r.rig.current.mode).toBe('PKTLSB');
    r.expectReply('MD2;ID;', 'ID017;');
    expect(r.rig.current.mode).toBe('USB');
  });

  it('reads and sets the sub receiver (VFO B) with MD$ and BW$', () => {
    const r = radio('k3', { modeB: 'CW', passbandB: 500 });
    r.expectReply('MD$;BW$;', 'MD$3;BW$0050;');
    r.expectReply('MD$2;ID;', 'ID017;');
    expect(r.rig.current.modeB).toBe('USB');
    r.expectReply('BW$0240;ID;', 'ID017;');
    expect(r.rig.current.passbandB).toBe(2400);
  });

  it('answers PC in K22 extended form, SMH on the K3 high-resolution scale, TQ', () => {
    const r = radio('k3', { rfPower: 0.6, strengthDb: 0 });
    r.expectReply('PC;', 'PC009;');
    r.send('K22;');
    r.expectReply('PC;', 'PC0091;');
    r.expectReply('SMH;', 'SMH042;');
    r.expectReply('TQ;', 'TQ0;');
    r.expectReply('TX;TQ;', 'TQ1;');
  });

  it("answers TM and the BG bar graph Hamlib reads for the K3's power meter (k3.c 4.5.4)", () => {
    const r = radio('k3', { rfPower: 0.5, strengthDb: 0 });
    // TX metering mode: exactly TM + one digit, or Hamlib's length check fails.
    r.expectReply('TM;', 'TM0;');
    // Receive: the S-meter on 00–21 (S9 = SMH 42 of 103).
    r.expectReply('BG;', 'BG09R;');
    // Transmit: RF power on 00–12.
    r.send('TX;');
    r.expectReply('BG;', 'BG06T;');
    r.rig.current.rfPower = 1;
    r.expectReply('BG;', 'BG12T;');
  });

  it('forgets the K2/K3 modes when the client closes', () => {
    const r = radio('k3');
    r.send('K22;K31;');
    r.emulator.reset();
    r.expectReply('K2;K3;', 'K20;K30;');
  });
});

describe('TS-590S', () => {
  it('is the TS-590SG with its own ID and firmware read at open', () => {
    const r = radio('ts590s');
    r.expectReply('ID;', 'ID021;');
    r.expectReply('FV;', 'FV1.04;');
    r.expectReply('DA1;ID;', 'ID021;');
    expect(r.rig.current.mode).toBe('PKTUSB');
  });

  it('reads each TX meter with RMn (SWR, COMP, ALC at rest), as ts590.c expects 7 characters', () => {
    const r = radio('ts590s');
    r.expectReply('RM1;', 'RM10000;');
    r.expectReply('RM3;', 'RM30000;');
    r.expectReply('RM0;', 'RM00000;');
    r.expectReply('RMX;', '?;');
  });
});

describe('QCX/QDX', () => {
  it('answers as the TS-480 subset Hamlib expects: ID020, SM; on the TS-480 scale, all meters at once', () => {
    const r = radio('qcx', { strengthDb: 0 });
    r.expectReply('ID;', 'ID020;');
    r.expectReply('SM;', 'SM0011;');
    r.expectReply('RM;', 'RM10000;RM20000;RM30000;');
  });

  it('has no data mode: MDD; is refused and the mode stays', () => {
    const r = radio('qcx');
    r.expectReply('MDD;', '?;');
    expect(r.rig.current.mode).toBe('USB');
  });
});

describe('Elecraft K3S, KX3, KX2 and K4', () => {
  it.each([
    ['k3s', 'OM -----R------'],
    ['kx3', 'OM ----------02'],
    ['kx2', 'OM ----------01'],
    ['k4', 'OM -P----------'],
  ])('%s answers OM as Hamlib tells the model from it (15 characters)', (profile, om) => {
    const r = radio(profile);
    r.expectReply('ID;', 'ID017;');
    r.expectReply('OM;', `${om};`);
    expect(om).toHaveLength(15);
  });

  it('K4: FR, FT and TQ at open, MD$ for VFO B', () => {
    const r = radio('k4', { modeB: 'CW' });
    r.expectReply('FR;FT;TQ;', 'FR0;FT0;TQ0;');
    r.expectReply('MD$;', 'MD$3;');
  });

  it('KX3/KX2: PO is the power going out in tenths of a watt, 0 in receive (Hamlib’s power meter)', () => {
    const r = radio('kx3', { rfPower: 0.5 });
    r.expectReply('PO;', 'PO000;');
    r.expectReply('TX;ID;', 'ID017;');
    r.expectReply('PO;', 'PO075;');
  });

  it('K3S has no PO (it reads TM and BG for power): refused', () => {
    radio('k3s').expectReply('PO;', '?;');
  });
});

describe('TS-890S', () => {
  it('has data modes as MD digits of their own: MDD is PKTUSB, MDC PKTLSB', () => {
    const r = radio('ts890s');
    r.expectReply('ID;', 'ID024;');
    r.expectReply('MDD;ID;', 'ID024;');
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('MD;', 'MDD;');
    expect(r.send('IF;')[29]).toBe('D');
    r.expectReply('MDC;ID;MD;', 'ID024;MDC;');
    expect(r.rig.current.mode).toBe('PKTLSB');
    r.expectReply('MD2;ID;', 'ID024;');
    expect(r.rig.current.mode).toBe('USB');
  });

  it('switches meters on with RMn1 (no answer) and answers them all to RM; (ts890s.c finds its own)', () => {
    const r = radio('ts890s');
    r.expectReply('RM21;ID;', 'ID024;');
    r.expectReply('RM;', 'RM10000;RM20000;RM30000;');
    r.expectReply('RM2X;', '?;');
  });

  it('reads the S-meter with SM; on the IARU curve (S9 = 35)', () => {
    radio('ts890s', { strengthDb: 0 }).expectReply('SM;', 'SM0035;');
  });
});

describe('TS-990S', () => {
  it('operates on Main (CB0) or Sub (CB1), VFO A and B of the radio behind', () => {
    const r = radio('ts990s');
    r.expectReply('ID;CB;', 'ID022;CB0;');
    r.expectReply('CB1;ID;', 'ID022;');
    expect(r.rig.current.vfo).toBe('VFOB');
    r.expectReply('CB;', 'CB1;');
    r.expectReply('CB2;', '?;');
  });

  it('splits with TB1 (RX Main, TX Sub) and reads it back', () => {
    const r = radio('ts990s');
    r.expectReply('TB;', 'TB0;');
    r.expectReply('CB0;ID;TB1;ID;', 'ID022;ID022;');
    expect(r.rig.current).toMatchObject({ split: true, txVfo: 'VFOB' });
    r.expectReply('TB;', 'TB1;');
    r.expectReply('TB0;ID;', 'ID022;');
    expect(r.rig.current.split).toBe(false);
  });

  it('reads Main and Sub modes with OM0/OM1 and sets the operated band’s mode (data on D)', () => {
    const r = radio('ts990s', { mode: 'USB', modeB: 'CW' });
    r.expectReply('OM0;OM1;', 'OM02;OM13;');
    r.expectReply('OM0D;ID;', 'ID022;');
    expect(r.rig.current.mode).toBe('PKTUSB');
    r.expectReply('CB1;ID;OM01;ID;', 'ID022;ID022;');
    expect(r.rig.current).toMatchObject({ mode: 'PKTUSB', modeB: 'LSB' });
  });

  it('has no AM-DATA (ts990s_mode_table: F is none): OM0F is refused, PKTAM shows as AM', () => {
    const r = radio('ts990s', { mode: 'PKTAM' });
    r.expectReply('OM0;', 'OM05;');
    r.expectReply('OM0F;', '?;');
    r.expectReply('OM0E;ID;OM0;', 'ID022;OM0E;');
    expect(r.rig.current.mode).toBe('PKTFM');
  });

  it('has no FR/FT-free IF dialect of its own: FR is still the Kenwood receive VFO', () => {
    radio('ts990s').expectReply('FR;', 'FR0;');
  });
});
