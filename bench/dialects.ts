/**
 * The four CAT dialects as a bench drives them: the profile, a frequency read with the shape of its
 * answer, PTT on and off, and a generator of structured garbage — frames of the dialect's own shape
 * with random commands and parameters, which reach deeper into an emulator than random bytes do.
 */
export interface Dialect {
  /** A profile in config/rigs/. */
  profile: string;
  /** Reads frequency A. */
  query: Buffer;
  /** Whether an answer to `query` is whole (more bytes will not change the verdict). */
  complete: (answer: Buffer) => boolean;
  /** Whether a whole answer is the frequency it should be. */
  valid: (answer: Buffer) => boolean;
  pttOn: Buffer;
  pttOff: Buffer;
  /** Appends structured garbage to `out` until it holds at least `bytes`. */
  garbage: (next: () => number, bytes: number) => Buffer;
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const ascii = (s: string) => Buffer.from(s, 'latin1');
const endsWith = (byte: number) => (answer: Buffer) =>
  answer.length > 0 && answer[answer.length - 1] === byte;

/** `;`-terminated ASCII frames (Kenwood, Yaesu newcat): a known or random command, random parameters. */
function semicolonGarbage(commands: readonly string[]) {
  return (next: () => number, bytes: number): Buffer => {
    const parts: string[] = [];
    let length = 0;
    while (length < bytes) {
      const command =
        next() < 0.8
          ? pick(next, commands)
          : String.fromCharCode((65 + next() * 26) | 0, (65 + next() * 26) | 0);
      let params = '';
      const count = Math.floor(next() * 15);
      for (let i = 0; i < count; i++) {
        params += next() < 0.8 ? String((next() * 10) | 0) : String.fromCharCode(33 + ((next() * 94) | 0));
      }
      const frame = `${command}${params};`;
      parts.push(frame);
      length += frame.length;
    }
    return ascii(parts.join(''));
  };
}

/** CI-V frames to the IC-7300 (0x94) from a controller (0xE0), sometimes cut short or misaddressed. */
function civGarbage(next: () => number, bytes: number): Buffer {
  const out: number[] = [];
  while (out.length < bytes) {
    const to = next() < 0.95 ? 0x94 : (next() * 256) | 0;
    const frame = [
      0xfe,
      0xfe,
      to,
      0xe0,
      pick(
        next,
        [0x00, 0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0f, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1c, 0x25, 0x26],
      ),
    ];
    const count = Math.floor(next() * 8);
    for (let i = 0; i < count; i++) frame.push((next() * 0xfd) | 0);
    if (next() < 0.95) frame.push(0xfd);
    out.push(...frame);
  }
  return Buffer.from(out);
}

/** FT-817 five-byte commands: four random parameter bytes and a known or random opcode. */
function ft817Garbage(next: () => number, bytes: number): Buffer {
  const out = Buffer.alloc(Math.ceil(bytes / 5) * 5);
  const opcodes = [
    0x00, 0x01, 0x02, 0x03, 0x05, 0x07, 0x08, 0x0f, 0x80, 0x81, 0x82, 0x88, 0x8f, 0xa7, 0xbb, 0xbd, 0xe7,
    0xf7,
  ];
  for (let i = 0; i < out.length; i += 5) {
    for (let j = 0; j < 4; j++) out[i + j] = (next() * 256) | 0;
    out[i + 4] = next() < 0.8 ? pick(next, opcodes) : (next() * 256) | 0;
  }
  return out;
}

const KENWOOD = [
  'FA',
  'FB',
  'MD',
  'IF',
  'TX',
  'RX',
  'AI',
  'FR',
  'FT',
  'SP',
  'ID',
  'PS',
  'AG',
  'SM',
  'RM',
  'FW',
  'SH',
  'SL',
  'KS',
  'PC',
  'NB',
  'NR',
  'DA',
];
const NEWCAT = [
  'FA',
  'FB',
  'MD0',
  'IF',
  'TX',
  'VS',
  'ST',
  'FT',
  'ID',
  'PS',
  'AI',
  'SH0',
  'NA0',
  'PC',
  'RM1',
  'OI',
  'SM0',
  'DT0',
];

export const DIALECTS: Record<string, Dialect> = {
  'TS-2000 (Kenwood)': {
    profile: 'ts2000',
    query: ascii('FA;'),
    complete: endsWith(0x3b),
    valid: (answer) => /^FA\d{11};$/.test(answer.toString('latin1')),
    pttOn: ascii('TX;'),
    pttOff: ascii('RX;'),
    garbage: semicolonGarbage(KENWOOD),
  },
  'IC-7300 (CI-V)': {
    profile: 'ic7300',
    query: Buffer.from([0xfe, 0xfe, 0x94, 0xe0, 0x03, 0xfd]),
    complete: endsWith(0xfd),
    valid: (answer) =>
      answer.length === 11 && answer.subarray(0, 5).equals(Buffer.from([0xfe, 0xfe, 0xe0, 0x94, 0x03])),
    pttOn: Buffer.from([0xfe, 0xfe, 0x94, 0xe0, 0x1c, 0x00, 0x01, 0xfd]),
    pttOff: Buffer.from([0xfe, 0xfe, 0x94, 0xe0, 0x1c, 0x00, 0x00, 0xfd]),
    garbage: civGarbage,
  },
  'FT-991A (newcat)': {
    profile: 'ft991a',
    query: ascii('FA;'),
    complete: endsWith(0x3b),
    valid: (answer) => /^FA\d{9};$/.test(answer.toString('latin1')),
    pttOn: ascii('TX1;'),
    pttOff: ascii('TX0;'),
    garbage: semicolonGarbage(NEWCAT),
  },
  'FT-817 (5-byte)': {
    profile: 'ft817',
    query: Buffer.from([0, 0, 0, 0, 0x03]),
    complete: (answer) => answer.length >= 5,
    valid: (answer) => answer.length === 5,
    pttOn: Buffer.from([0, 0, 0, 0, 0x08]),
    pttOff: Buffer.from([0, 0, 0, 0, 0x88]),
    garbage: ft817Garbage,
  },
};
