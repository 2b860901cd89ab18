/**
 * `\dump_caps` (and its short form `1`) on the rigctld door. CQRLOG sends `+\dump_caps` when it
 * connects and reads its `Can …: Y/N` lines to decide what it may send; before this the door answered
 * RPRT -1 and CQRLOG's start-up waited for an answer it could parse.
 *
 * Layout: against rigctld 4.5.4's own answers (fixtures/rigctld-dump-caps.json, captured by capture.py
 * from `rigctld -m 1 -P RIG`): the same lines in the same order, each form's envelope byte for byte.
 * Content: the door's facts, the ones its `\dump_state` gives — checked by real Hamlib, whose NET client
 * (`rigctl -m 2 … 1`) prints its caps from the door's `\dump_state` (it never sends dump_caps; the
 * capture shows it), and those lines must equal the door's own `\dump_caps`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RigctldSession } from '../../src/gateway/servers/rigctld/session.js';
import { useContractRig } from '../contract/radio-side.js';
import { FakeRig } from '../support/fake-rig.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';
import { RawClient } from './raw-client.js';

interface Fixture {
  sessions: { client: string; exchanges: { request: string; reply: string }[]; stdout?: string }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('fixtures/rigctld-dump-caps.json', import.meta.url), 'utf8'),
) as Fixture;
const [raw, rigctl] = fixture.sessions as [Fixture['sessions'][0], Fixture['sessions'][0]];

function door(ranges = [{ fromHz: 1_800_000, toHz: 54_000_000 }]) {
  let out = '';
  const session = new RigctldSession({
    rig: new FakeRig({ freqA: 14_074_000, mode: 'USB', passband: 2400 }),
    write: (bytes) => {
      out += Buffer.from(bytes).toString('latin1');
    },
    ranges: () => ranges,
    quit: () => {},
  });
  return (line: string) => {
    out = '';
    session.receive(Buffer.from(line, 'latin1'));
    return out;
  };
}

/**
 * The layout of a caps dump: its top-level lines, each cut to its label (`Max RIT:`, `Can get VFO:`),
 * range labels (`for Dummy#1`) left out; lines indented with a tab list the radio's own entries.
 */
function layout(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('\t'))
    .map((line) => {
      const label = /^[^:]*:/.exec(line)?.[0] ?? line;
      return label.replace(/ for [^:]*:$/, ' for …:');
    });
}

describe('\\dump_caps against rigctld 4.5.4', () => {
  it('every form rigctld answers has its layout and envelope', () => {
    const ask = door();
    raw.exchanges.forEach((exchange, index) => {
      const reply = ask(exchange.request);
      const what = `${index} ${JSON.stringify(exchange.request)}`;
      if (exchange.request === '\\set_vfo_opt 1\n') {
        // The dummy says -11 yet applies it; the door says 0 (rigctld-golden.test.ts, the same difference).
        expect(reply, what).toBe('RPRT 0\n');
        return;
      }
      if (!exchange.reply.includes('Caps dump')) {
        expect(reply, what).toBe(exchange.reply);
        return;
      }
      expect(layout(reply), what).toEqual(layout(exchange.reply));
      const head = (text: string) => text.slice(0, text.indexOf('Caps dump'));
      expect(head(reply), what).toBe(head(exchange.reply));
      const tail = '\n\nOverall backend warnings: 0   \nRPRT 0\n';
      expect(exchange.reply.endsWith(tail), what).toBe(true);
      expect(reply.endsWith(tail), what).toBe(true);
    });
  });

  it("Hamlib's NET client prints its caps itself: it never sends dump_caps", () => {
    expect(rigctl.client).toBe('rigctl -m 2 1');
    expect(rigctl.exchanges.map((e) => e.request.trim())).not.toContain('1');
    expect(rigctl.exchanges.some((e) => e.request.includes('dump_caps'))).toBe(false);
    expect(rigctl.stdout).toMatch(/^Caps dump for model: 2\n/);
  });

  it("says what the door serves, in Hamlib's words", () => {
    const caps = door()('\\dump_caps\n');
    const lines = caps.split('\n');
    for (const line of [
      'Caps dump for model: 1',
      'Has targetable VFO: N',
      'Get level: RFPOWER(0..0/0) STRENGTH(0..0/0) ',
      'Set level: RFPOWER(0..0/0) ',
      // Hamlib 4.5.4 prints PKTFM and PKTAM as FM-D and AM-D (rigctl -m 2 does, below).
      'Mode list: AM CW USB LSB RTTY FM WFM CWR RTTYR PKTLSB PKTUSB FM-D AM-D ',
      'VFO list: VFOA VFOB ',
      '\t1800000 Hz - 54000000 Hz',
      '\t\tLow power: 5 W, High power: 100 W',
      '\t1.0 Hz:   \tAM CW USB LSB RTTY FM WFM CWR RTTYR PKTLSB PKTUSB FM-D AM-D ',
      '\tUSB\tNormal: 2.4000 kHz,\tNarrow: 1.8000 kHz,\tWide: 3.0000 kHz',
      '\tCW\tNormal: 500.0 Hz,\tNarrow: 0.0 Hz,\tWide: 2.4000 kHz',
      '\tWFM\tNormal: 230.0000 kHz,\tNarrow: 0.0 Hz,\tWide: 0.0 Hz',
      // What CQRLOG reads: it then sends only what the door serves.
      'Can get VFO:\tY',
      'Can set Level:\tY',
      'Can get Level:\tY',
      'Can set Func:\tN',
      'Can get Func:\tN',
      'Can ctl Mem/VFO:\tN',
      'Can send Morse:\tN',
      'Can get power2mW:\tN',
    ]) {
      expect(lines, line).toContain(line);
    }
  });

  it("CQRLOG's start-up and poll (uRigControl.pas, master) get the answers it waits for", () => {
    // CQRLOG sends one command, then waits for a reply holding that command's name (upper-cased) and
    // an RPRT line; a reply without the name stalls its start-up until its poll timeout, after which
    // it stops polling. It asks `+\set_parm ?` whenever it may set levels.
    const ask = door();
    expect(ask('+\\chk_vfo\n')).toBe('ChkVFO: 0\n');
    expect(ask('+\\dump_caps\n')).toMatch(/^dump_caps:\nCaps dump for model: 1\n[\s\S]*\nRPRT 0\n$/);
    expect(ask('+\\get_level ?\n')).toBe('get_level: ?\nRFPOWER STRENGTH \nRPRT 0\n');
    expect(ask('+\\set_level ?\n')).toBe('set_level: ?\nRFPOWER \nRPRT 0\n');
    expect(ask('+\\set_parm ?\n')).toBe('set_parm: ?\nRPRT -11\n');
    // Its poll: three commands on one line.
    expect(ask('+f +m +v\n')).toBe(
      'get_freq:\nFrequency: 14074000\nRPRT 0\nget_mode:\nMode: USB\nPassband: 2400\nRPRT 0\nget_vfo:\nVFO: VFOA\nRPRT 0\n',
    );
  });

  it('`?` lists the modes and VFOs the door offers, as rigctld lists its own', () => {
    const ask = door();
    const modes = 'AM CW USB LSB RTTY FM WFM CWR RTTYR PKTLSB PKTUSB FM-D AM-D \n';
    expect(ask('M ?\n')).toBe(`${modes}RPRT 0\n`);
    expect(ask('+M ?\n')).toBe(`set_mode: ?\n${modes}RPRT 0\n`);
    expect(ask('X ?\n')).toBe(`${modes}RPRT 0\n`);
    expect(ask('V ?\n')).toBe('VFOA VFOB \nRPRT 0\n');
    expect(ask('\\get_vfo_info ?\n')).toBe('VFOA VFOB \n');
    // Nothing was set on the way.
    expect(ask('m\n')).toBe('USB\n2400\n');
  });

  it('a Hamlib command the door does not serve is RPRT -11, named in extended form; a non-command -1', () => {
    const ask = door();
    expect(ask('+J 100\n')).toBe('set_rit: 100\nRPRT -11\n');
    expect(ask('J 100\n')).toBe('RPRT -11\n');
    expect(ask('\\halt\n')).toBe('RPRT -11\n');
    expect(ask(';\\get_func ?\n')).toBe('get_func: ?;RPRT -11\n');
    expect(ask('5\n')).toBe('RPRT -1\n');
    expect(ask('\\foo\n')).toBe('RPRT -1\n');
  });

  it('1 is dump_caps; in VFO mode it takes no VFO; the next command is answered in step', () => {
    const ask = door();
    const caps = ask('\\dump_caps\n');
    expect(ask('1\n')).toBe(caps);
    expect(ask('\\set_vfo_opt 1\n')).toBe('RPRT 0\n');
    expect(ask('\\dump_caps\n')).toBe(caps);
    expect(ask('f VFOA\n')).toBe('14074000\n');
  });
});

/** Lines of a caps dump that Hamlib's NET client takes from `\dump_state`. */
const FROM_DUMP_STATE = /^(Max RIT|Max XIT|Max IF-SHIFT|Preamp|Attenuator|Get level|Set level|Mode list):/;

function stateLines(text: string): string[] {
  const lines = text.split('\n');
  const bandwidths = lines.slice(lines.indexOf('Bandwidths:'), lines.indexOf('Spectrum scopes: None'));
  return [...lines.filter((line) => FROM_DUMP_STATE.test(line)), ...bandwidths];
}

function throughTheDoor(kind: 'rigctld' | 'sim'): void {
  // A door needs a port on its backend to start with (config); nobody opens it.
  const ctx = useContractRig(kind, () => [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }], {
    hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' },
  });
  const port = () => ctx.harness.gateway.servers[0]!.port;

  it("rigctl -m 2 reads the door's \\dump_state as the door's \\dump_caps says", async () => {
    const client = await RigctlSession.open(2, `127.0.0.1:${port()}`);
    const raw = await RawClient.open(port());
    try {
      const hamlib = (await client.cmd('1')).raw;
      const caps = await raw.ask('\\dump_caps');
      expect(caps).toMatch(/^Caps dump for model: 1\n[\s\S]*\nRPRT 0\n$/);
      expect(stateLines(hamlib)).toEqual(stateLines(caps));
      expect(stateLines(caps).length).toBeGreaterThan(20);
    } finally {
      raw.close();
      await client.close();
    }
  });
}

describeWithTools(['rigctl', 'rigctld'], '\\dump_caps, rigctld -m 1 behind (real Hamlib 4.5.4)', () =>
  throughTheDoor('rigctld'),
);
describeWithTools(['rigctl'], '\\dump_caps, simulator behind (real Hamlib 4.5.4)', () =>
  throughTheDoor('sim'),
);
