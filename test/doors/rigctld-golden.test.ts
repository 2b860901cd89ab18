/**
 * The rigctld door's protocol, byte for byte against real rigctld 4.5.4: the fixtures in
 * test/doors/fixtures/ were captured from `rigctld -m 1 -P RIG` (capture.py: a logging proxy in front
 * of it for `rigctl -m 2`, and raw probes for the extended forms, separators, errors, VFO mode and
 * several commands on one line).
 * Each session is replayed against a RigctldSession on a rig in the dummy's starting state, and every
 * answer must be rigctld's — except the few listed below, each a deliberate difference with its reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RigctldSession } from '../../src/gateway/servers/rigctld/session.js';
import { FakeRig } from '../support/fake-rig.js';

interface Fixture {
  sessions: { client: string; exchanges: { request: string; reply: string }[] }[];
}

const load = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as Fixture;

/** Hamlib's dummy radio at start: 145 MHz FM on both VFOs, RF power 0. */
const dummyStart = () =>
  new FakeRig({
    freqA: 145_000_000,
    freqB: 146_000_000,
    mode: 'FM',
    passband: 15000,
    modeB: 'FM',
    passbandB: 15000,
    rfPower: 0,
    strengthDb: -17,
  });

interface Difference {
  /** The door's answer instead of rigctld's. */
  door: string | RegExp;
  why: string;
}

const VFO_NAMES =
  'VFOs are named as the door advertises them (VFOA/VFOB); the dummy renames them Main/Sub after a set_vfo';
const ONE_MODE_PER_VFO =
  "the dummy keeps a split TX mode apart from VFO B's mode; a radio (and the door) has one mode per VFO";
const RIG_INFO =
  /^(get_rig_info:\n)?VFO=Main .*\nRig=catbridge\nApp=Hamlib\nVersion=20230106 1\.0\.0\nCRC=0x[0-9a-f]{8}\n\n(RPRT 0\n)?$/s;

const LEVELS =
  'the door lists the levels it serves (RFPOWER read and set, STRENGTH read), as \\dump_state says';

/** Deliberate differences, by fixture, session and exchange index. */
const DIFFERENCES: Record<string, Record<string, Difference>> = {
  'rigctld-raw.json': {
    '0/9': { door: 'VFOB\n', why: VFO_NAMES },
    '0/37': {
      door: 'RPRT -11\n',
      why: 'the door serves RFPOWER and STRENGTH; other levels are "not available"',
    },
    '0/45': { door: '7076000\nUSB\n2400\n0\n0\n', why: ONE_MODE_PER_VFO },
    '0/47': { door: 'RPRT -1\n', why: 'an unknown mode is refused (the dummy accepts "FOO")' },
    '0/55': { door: 'VFOA\n', why: VFO_NAMES },
    '0/56': { door: RIG_INFO, why: 'identity (Rig=catbridge), so the CRC differs; and one mode per VFO' },
    '0/59': {
      door: '7076000\n',
      why: 'with split off, i/I address the VFO split would transmit on (B), never the RX VFO',
    },
    '0/60': {
      door: 'RPRT -1\n',
      why: 'an unknown command is answered at once; rigctld 4.5.4 waits and desynchronises',
    },
    '0/61': {
      door: 'RPRT -11\n',
      why: 'set_xit without its argument: rigctld waits for it on the next line',
    },
    '0/62': { door: 'RPRT 0\n', why: 'q is q (rigctld took it as the pending Z argument)' },
    '1/25': { door: RIG_INFO, why: 'identity (Rig=catbridge), so the CRC differs; and one mode per VFO' },
    '1/31': { door: 'get_vfo:;VFO: VFOA;RPRT 0\n', why: VFO_NAMES },
    '2/1': {
      door: 'RPRT 0\n',
      why: 'VFO mode is per connection and does take effect (the dummy says -11 yet applies it)',
    },
    '2/11': { door: 'VFOA\n', why: VFO_NAMES },
    '2/13': { door: 'VFOB\n', why: VFO_NAMES },
    '2/34': { door: 'RPRT -1\n', why: 'there is no VFO C (the dummy answers 0 Hz)' },
    '2/35': { door: 'RPRT 0\n', why: 'VFO mode is per connection and does take effect' },
  },
  'rigctld-chained.json': {
    '0/6': { door: 'RFPOWER STRENGTH \n', why: LEVELS },
    '0/7': { door: 'RFPOWER \nRPRT 0\n', why: LEVELS },
    '0/8': { door: 'get_level: ?\nRFPOWER STRENGTH \nRPRT 0\n', why: LEVELS },
    '0/9': { door: 'set_level: ?\nRFPOWER \nRPRT 0\n', why: LEVELS },
  },
  'rigctld-rigctl-m2.json': {
    '0/1': {
      door: /^1\n1\n0\n30000\.000000 60000000\.000000 0x401dff -1 -1 0x3 0x1\n[\s\S]*\ndone\n$/,
      why: "the door's \\dump_state describes what it serves (VFOA/VFOB, RFPOWER and STRENGTH, the backend's ranges)",
    },
  },
};

function replay(name: string) {
  const fixture = load(name);
  fixture.sessions.forEach((session, sessionIndex) => {
    it(`${session.client}: ${session.exchanges.length} exchanges`, () => {
      let out = '';
      const door = new RigctldSession({
        rig: dummyStart(),
        write: (bytes) => {
          out += Buffer.from(bytes).toString('latin1');
        },
        ranges: () => null,
        quit: () => {},
      });
      session.exchanges.forEach((exchange, index) => {
        out = '';
        door.receive(Buffer.from(exchange.request, 'latin1'));
        const difference = DIFFERENCES[name]?.[`${sessionIndex}/${index}`];
        const what = `${sessionIndex}/${index} ${JSON.stringify(exchange.request)}`;
        if (!difference) expect(out, what).toBe(exchange.reply);
        else if (typeof difference.door === 'string')
          expect(out, `${what}: ${difference.why}`).toBe(difference.door);
        else expect(out, `${what}: ${difference.why}`).toMatch(difference.door);
      });
    });
  });
}

describe('rigctld door against rigctld 4.5.4 captures', () => {
  replay('rigctld-raw.json');
  replay('rigctld-rigctl-m2.json');
  replay('rigctld-chained.json');
  replay('rigctld-modes.json');

  it('lists each difference once, and only for exchanges the captures have', () => {
    for (const [name, differences] of Object.entries(DIFFERENCES)) {
      const fixture = load(name);
      for (const key of Object.keys(differences)) {
        const [s, e] = key.split('/').map(Number);
        expect(fixture.sessions[s!]?.exchanges[e!], `${name} ${key}`).toBeDefined();
      }
    }
  });
});

describe('rigctld door behaviour the captures do not show', () => {
  const session = (rig = dummyStart()) => {
    const replies: string[] = [];
    let quits = 0;
    const door = new RigctldSession({
      rig,
      write: (bytes) => replies.push(Buffer.from(bytes).toString('latin1')),
      ranges: () => [{ fromHz: 1_800_000, toHz: 54_000_000 }],
      quit: () => quits++,
    });
    const ask = (line: string) => {
      replies.length = 0;
      door.receive(Buffer.from(`${line}\n`, 'latin1'));
      return replies.join('');
    };
    return { door, ask, rig, quits: () => quits };
  };

  it('a radio lost past grace_ms gets RPRT -6 for every radio command, in both forms', () => {
    const { ask, rig } = session();
    rig.offline = true;
    expect(ask('f')).toBe('RPRT -6\n');
    expect(ask('+f')).toBe('get_freq:\nRPRT -6\n');
    expect(ask('T 1')).toBe('RPRT -6\n');
    expect(rig.calls).toEqual([]);
    // What is the connection's own business still answers.
    expect(ask('\\chk_vfo')).toBe('0\n');
  });

  it('a refused write (PTT held by another client) is RPRT -9, and nothing claims success', () => {
    const { ask, rig } = session();
    rig.refuse = true;
    expect(ask('T 1')).toBe('RPRT -9\n');
    expect(ask('+T 3')).toBe('set_ptt: 3\nRPRT -9\n');
  });

  it('every set_ptt value rigctld accepts keys or unkeys; others are refused before the radio', () => {
    const { ask, rig } = session();
    for (const value of ['1', '2', '3']) {
      expect(ask(`T ${value}`)).toBe('RPRT 0\n');
      expect(ask('t')).toBe('1\n');
      expect(ask('T 0')).toBe('RPRT 0\n');
    }
    expect(ask('T 4')).toBe('RPRT -1\n');
    expect(rig.calls.filter((c) => c.startsWith('setPtt'))).toEqual([
      'setPtt true',
      'setPtt false',
      'setPtt true',
      'setPtt false',
      'setPtt true',
      'setPtt false',
    ]);
  });

  it('a command without its arguments is answered at once (rigctld would wait for the next line)', () => {
    const { ask } = session();
    expect(ask('F')).toBe('RPRT -1\n');
    expect(ask('f')).toBe('145000000\n');
  });

  it('dump_state carries the backend ranges and, after chk_vfo, the key=value lines through done', () => {
    const { ask } = session();
    const plain = ask('\\dump_state');
    expect(plain).toContain('1800000.000000 54000000.000000 0x401dff -1 -1 0x3 0x1\n0 0 0 0 0 0 0\n');
    expect(plain).not.toContain('done');
    ask('\\chk_vfo');
    const keyed = ask('\\dump_state');
    expect(keyed).toMatch(/\nptt_type=0x1\ntargetable_vfo=0x0\n[\s\S]*\ndone\n$/);
    expect(ask('+\\dump_state')).toBe(`dump_state:\n${keyed}RPRT 0\n`);
  });

  it('q answers RPRT 0 and closes; M with passband -1 keeps the passband', () => {
    const { ask, rig, quits } = session();
    expect(ask('M USB -1')).toBe('RPRT 0\n');
    expect(rig.calls).toContain('setMode VFOA USB');
    expect(ask('q')).toBe('RPRT 0\n');
    return Promise.resolve().then(() => expect(quits()).toBe(1));
  });

  it('a line with no newline in 1024 bytes is dropped with RPRT -1; CRLF lines are read', () => {
    const replies: string[] = [];
    const door = new RigctldSession({
      rig: dummyStart(),
      write: (bytes) => replies.push(Buffer.from(bytes).toString('latin1')),
      ranges: () => null,
      quit: () => {},
    });
    door.receive(Buffer.from('f'.repeat(1100), 'latin1'));
    expect(replies).toEqual(['RPRT -1\n']);
    door.receive(Buffer.from('f\r\n', 'latin1'));
    expect(replies).toEqual(['RPRT -1\n', '145000000\n']);
  });
});
