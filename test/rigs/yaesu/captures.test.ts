/**
 * The captures of what Hamlib 4.5.4 sends to the FT-891, FTDX101D, FT-897 and FT-818 (fixtures/hamlib-4.5.4,
 * see its README), replayed request by request into the emulators. The capture's responder was a crude
 * radio, so its answers are the reference only where it modelled the radio: where it did not (listed
 * below, each with the reason), the emulator's answer is checked against the real radio's format instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacy, newcat } from './harness.js';

const DIR = join(import.meta.dirname, 'fixtures', 'hamlib-4.5.4');

/** The capture as (what Hamlib wrote, what the responder answered) pairs. */
function exchanges(file: string): { request: string; answer: string[] }[] {
  const out: { request: string; answer: string[] }[] = [];
  for (const line of readFileSync(join(DIR, file), 'utf8').split('\n')) {
    const match = /^\s*[\d.]+ (>>|<<) (.*)$/.exec(line);
    if (!match) continue;
    if (match[1] === '>>') out.push({ request: match[2]!.trim(), answer: [] });
    else out.at(-1)?.answer.push(match[2]!.trim());
  }
  return out;
}

/** Where the responder was not the radio: the request, and the real radio's answer format instead. */
interface Deviation {
  request: RegExp;
  why: string;
  format: RegExp;
}

const NEWCAT_DEVIATIONS: Deviation[] = [
  {
    request: /^ID;$/,
    why: 'responder said ID0135 (Hamlib’s table); the FT-891 says ID0650',
    format: /^ID0650;$/,
  },
  {
    request: /^SH0;$/,
    why: 'responder answered SH016 / SH0016 (2600 Hz) in the FT-991 format',
    format: /^SH0[01]\d\d;$/,
  },
  { request: /^SH1;$/, why: 'responder had no sub receiver width', format: /^SH10\d\d;$/ },
  {
    request: /^SH01\d\d;$|^RF02;$/,
    why: 'responder answered ?; to a set the radio takes silently',
    format: /^$/,
  },
  {
    request: /^SM0;$/,
    why: 'responder’s meter read 0; ours follows the rig’s strength',
    format: /^SM0\d{3};$/,
  },
];

const LEGACY_DEVIATIONS: Deviation[] = [
  {
    request: /^00 78 00 00 BB$/,
    why: 'responder’s DIG menu was PSK-U; the default here is USER-U',
    format: /^[0-9A-F]{2} 00$/,
  },
  { request: /^00 00 00 00 E7$/, why: 'responder’s S-meter was fixed', format: /^0[0-9A-F]$/ },
  { request: /^00 00 00 00 F7$/, why: 'responder’s power bars were fixed (keyed)', format: /^[0-9A-F]{2}$/ },
];

const CASES = [
  { file: 'ft891_id135.txt', profile: 'ft891', kind: 'newcat' },
  { file: 'ft891.txt', profile: 'ft891', kind: 'newcat' },
  { file: 'ft891_split.txt', profile: 'ft891', kind: 'newcat' },
  { file: 'ftdx101d.txt', profile: 'ftdx101d', kind: 'newcat' },
  { file: 'ft897.txt', profile: 'ft897', kind: 'legacy' },
  { file: 'ft818.txt', profile: 'ft818', kind: 'legacy' },
] as const;

describe.each(CASES)('$file replayed into $profile', ({ file, profile, kind }) => {
  it('answers every request as the capture did, or in the real radio’s format where the responder was not the radio', () => {
    const r = kind === 'newcat' ? newcat(profile) : legacy(profile);
    const list = exchanges(file);
    expect(list.length).toBeGreaterThan(20);
    const deviations = kind === 'newcat' ? NEWCAT_DEVIATIONS : LEGACY_DEVIATIONS;
    let exact = 0;
    for (const { request, answer } of list) {
      const got = r.send(request);
      const want = answer.join(kind === 'newcat' ? '' : ' ');
      const deviation = deviations.find((d) => d.request.test(request));
      if (deviation && got !== want) {
        expect(got, `${request} (${deviation.why})`).toMatch(deviation.format);
      } else {
        expect(got, request).toBe(want);
        exact++;
      }
    }
    expect(exact).toBeGreaterThan(list.length / 2);
  });
});

describe('captured facts', () => {
  it('FT-891: only ID0135 makes Hamlib send the CAT TOT menu at open; the port answers it either way', () => {
    const opening = (file: string) =>
      exchanges(file)
        .slice(0, 4)
        .map((e) => e.request);
    expect(opening('ft891_id135.txt')).toEqual(['AI;', 'ID;', 'EX05071;EX0507;', 'FA;']);
    expect(opening('ft891.txt')).toEqual(['AI;', 'ID;', 'FA;', 'FB;']);
    newcat('ft891').expectReply('EX05071;EX0507;', 'EX05071;');
  });

  it('FT-891: split is ST without read-back; S 0 VFOA/VFOB never reach the wire', () => {
    const text = readFileSync(join(DIR, 'ft891_split2.txt'), 'utf8');
    expect(text).toMatch(/CMD S 0 currVFO\n(?:.*rigctl.*\n)*?.*Target VFO unaccessible/);
    const split = readFileSync(join(DIR, 'ft891_split.txt'), 'utf8');
    expect(split).toMatch(/CMD S 0 VFOB\n(?:.*rigctl.*\n)*?.*Feature not available/);
    expect(split).toMatch(/CMD S 0 VFOA\n(?:.*rigctl.*\n)*?.*Target VFO unaccessible/);
    expect(text).toMatch(/CMD S 0 Main\n.*\n.*>> ST0;/);
  });

  it('FT-897: the EEPROM bytes Hamlib reads are 0x78 (DIG, 1st byte) and 0x8D (split, 2nd byte of 0x8C)', () => {
    const requests = exchanges('ft897.txt').map((e) => e.request);
    expect(new Set(requests.filter((q) => q.endsWith('BB')))).toEqual(
      new Set(['00 78 00 00 BB', '00 8C 00 00 BB']),
    );
    const r = legacy('ft897', { mode: 'PKTUSB', split: true, txVfo: 'VFOB' });
    r.expectReply('00 78 00 00 BB', 'A0 00'); // USER-U
    r.expectReply('00 8C 00 00 BB', '00 80');
  });
});
