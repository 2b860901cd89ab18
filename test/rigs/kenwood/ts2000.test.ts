/** Golden tests: the TS-2000 as Hamlib 4.5.4's model 2014 talks to it (research/hamlib.md §3.4, transcripts/ts2000.txt). */
import { describe, expect, it } from 'vitest';
import { radio } from './harness.js';

const IF_A_USB = 'IF00014074000' + '0000+00000' + '000' + '00' + '0200' + '0' + '000' + '0;';

describe('TS-2000', () => {
  it('answers the rig_open probes', () => {
    const r = radio('ts2000');
    r.expectReply('ID;', 'ID019;');
    r.expectReply('PS;', 'PS1;');
    r.expectReply('IF;', IF_A_USB);
    r.expectReply('AI;', 'AI0;');
    r.expectReply('FA;', 'FA00014074000;');
    r.expectReply('FB;', 'FB00014076000;');
    r.expectReply('MD;', 'MD2;');
  });

  it('builds IF as 37 characters + ; with P8, P9, P10 and P12 consistent', () => {
    const r = radio('ts2000', { vfo: 'VFOB', freqB: 7_076_000, modeB: 'CW', split: true, txVfo: 'VFOA' });
    const answer = r.send('IF;');
    expect(answer).toHaveLength(38);
    expect(answer.slice(2, 13)).toBe('00007076000');
    expect(answer[28]).toBe('0'); // RX
    expect(answer[29]).toBe('3'); // CW
    expect(answer[30]).toBe('1'); // VFO B
    expect(answer[32]).toBe('1'); // split
    // Transmitting in split: the real radio shows the TX VFO and its frequency.
    r.rig.current.ptt = true;
    const tx = r.send('IF;');
    expect(tx.slice(2, 13)).toBe('00014074000');
    expect(tx[28]).toBe('1');
    expect(tx[30]).toBe('0');
  });

  it('sets frequency silently and answers the trailing ID; (frequencies to 1 Hz)', () => {
    const r = radio('ts2000');
    r.expectReply('FA00007074055;ID;', 'ID019;');
    expect(r.rig.calls).toEqual(['setFreq VFOA 7074055']);
    r.expectReply('FA;', 'FA00007074055;');
    r.expectReply('FB00007076000;ID;', 'ID019;');
    r.expectReply('FB;', 'FB00007076000;');
  });

  it('sets modes; PKTUSB (MDD) is rejected as on the real radio, and Hamlib still gets its ID', () => {
    const r = radio('ts2000');
    r.expectReply('MD3;ID;', 'ID019;');
    r.expectReply('MD;', 'MD3;');
    r.expectReply('MDD;ID;', '?;ID019;');
    r.expectReply('MD;', 'MD3;');
    r.expectReply('MD2;ID;', 'ID019;');
    expect(r.rig.current.mode).toBe('USB');
    // A data mode set elsewhere (another port, the radio) shows as its base mode.
    r.rig.current.mode = 'PKTUSB';
    r.expectReply('MD;', 'MD2;');
  });

  it('selects VFOs the way Hamlib does (IF, SA, FR1;ID;, FB)', () => {
    const r = radio('ts2000');
    r.expectReply('SA;', 'SA0000000;');
    r.expectReply('FR1;ID;', 'ID019;');
    expect(r.rig.current.vfo).toBe('VFOB');
    expect(r.send('IF;')[30]).toBe('1');
    r.expectReply('FR;', 'FR1;');
    r.expectReply('FR0;ID;', 'ID019;');
    expect(r.rig.current.vfo).toBe('VFOA');
  });

  it('FR/FT split semantics: FR0;FT1 turns split on with TX on B, FR0;FT0 turns it off', () => {
    const r = radio('ts2000');
    r.expectReply('FR0;FT1;ID;', 'ID019;');
    expect(r.rig.current).toMatchObject({ vfo: 'VFOA', split: true, txVfo: 'VFOB' });
    r.expectReply('FT;', 'FT1;');
    expect(r.send('IF;')[32]).toBe('1');
    // Hamlib's split-mode read: FR1;FT0 (receive B, transmit A), then back.
    r.expectReply('FR1;FT0;ID;', 'ID019;');
    expect(r.rig.current).toMatchObject({ vfo: 'VFOB', split: true, txVfo: 'VFOA' });
    r.expectReply('FR0;FT1;ID;', 'ID019;');
    r.expectReply('FR0;FT0;ID;', 'ID019;');
    expect(r.rig.current.split).toBe(false);
    r.expectReply('FT;', 'FT0;');
  });

  it('keys and unkeys: TX;ID; answered by ID, RX; silent, IF P8 follows', () => {
    const r = radio('ts2000');
    r.expectReply('TX;ID;', 'ID019;');
    expect(r.send('IF;')[28]).toBe('1');
    r.expectReply('RX;', '');
    expect(r.rig.current.ptt).toBe(false);
    r.expectReply('TX0;', '');
    r.expectReply('TX1;', '');
    expect(r.rig.calls.filter((c) => c.startsWith('setPtt'))).toEqual([
      'setPtt true',
      'setPtt false',
      'setPtt true',
      'setPtt true',
    ]);
  });

  it('refuses a refused set and the ID; that verifies it, so Hamlib reports the error', () => {
    const r = radio('ts2000');
    r.rig.refuse = true;
    r.expectReply('TX;ID;', '?;?;');
    r.expectReply('FA00007000000;ID;', '?;?;');
    // Only the verify within 100 ms of the refusal (the K3 sends it 10 ms later, as its own write).
    const at = (ms: number, text: string) => {
      r.written.length = 0;
      r.emulator.receive(Buffer.from(text, 'latin1'), ms);
      return r.written.join('');
    };
    expect(at(1000, 'TX;')).toBe('?;');
    expect(at(1010, 'ID;')).toBe('?;');
    expect(at(1020, 'ID;')).toBe('ID019;');
    expect(at(2000, 'TX;')).toBe('?;');
    expect(at(2150, 'ID;')).toBe('ID019;');
    // An accepted set is verified normally.
    r.rig.refuse = false;
    expect(at(2160, 'FA00007000000;ID;')).toBe('ID019;');
  });

  it('answers ?; to everything once the radio is unreachable past the grace period', () => {
    const r = radio('ts2000');
    r.rig.offline = true;
    r.expectReply('FA;IF;ID;', '?;?;?;');
    expect(r.frames.map((f) => f.kind)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    r.rig.offline = false;
    r.expectReply('FA;', 'FA00014074000;');
  });

  it('reads RF power and S-meter', () => {
    const r = radio('ts2000', { rfPower: 0.5, strengthDb: 0 });
    r.expectReply('PC;', 'PC050;');
    r.expectReply('PC075;', '');
    expect(r.rig.current.rfPower).toBeCloseTo(0.75);
    r.expectReply('SM0;', 'SM00015;');
    r.rig.current.strengthDb = 60;
    r.expectReply('SM0;', 'SM00030;');
  });

  it('answers what loggers read beyond Hamlib, and reads back what they set', () => {
    const r = radio('ts2000');
    r.expectReply('AG0;', 'AG0100;');
    r.expectReply('AG0050;', '');
    r.expectReply('AG0;', 'AG0050;');
    r.expectReply('KS;', 'KS020;');
    r.expectReply('RU;', '');
  });

  it('answers ?; to unknown and malformed commands, and keeps going', () => {
    const r = radio('ts2000');
    r.expectReply('ZZ;', '?;');
    r.expectReply('FAxyz;', '?;');
    r.expectReply('FR7;', '?;');
    r.expectReply('ID1;', '?;');
    r.expectReply('ZZ;ID;', '?;ID019;');
    expect(r.frames.map((f) => f.kind)).toEqual([
      'unknown',
      'malformed',
      'malformed',
      'malformed',
      'unknown',
      'query',
    ]);
  });

  it('sends unsolicited IF only when the port allows auto-information and the client asked for it', () => {
    const quiet = radio('ts2000');
    quiet.expectReply('AI2;', '');
    quiet.expectReply('AI;', 'AI2;');
    quiet.written.length = 0;
    quiet.rig.current.freqA = 7_000_000;
    quiet.emulator.stateChanged();
    expect(quiet.written).toEqual([]);

    const chatty = radio('ts2000', {}, true);
    chatty.emulator.stateChanged();
    expect(chatty.written).toEqual([]);
    chatty.send('AI1;');
    chatty.rig.current.freqA = 7_000_000;
    chatty.emulator.stateChanged();
    expect(chatty.written.join('')).toMatch(/^IF00007000000.{24};$/);
    chatty.written.length = 0;
    chatty.emulator.stateChanged(); // nothing changed: nothing sent
    expect(chatty.written).toEqual([]);
    chatty.emulator.reset();
    chatty.rig.current.freqA = 7_001_000;
    chatty.emulator.stateChanged();
    expect(chatty.written).toEqual([]);
  });
});
