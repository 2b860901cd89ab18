/** Property tests: random bytes and random chunking never crash a Yaesu port, grow its memory or misalign it for good. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { legacy, newcat } from './harness.js';

function splitAt<T extends { length: number; slice(a: number, b?: number): T }>(
  whole: T,
  cuts: number[],
): T[] {
  const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
  const parts: T[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(whole.slice(last, p));
    last = p;
  }
  parts.push(whole.slice(last));
  return parts;
}

const NEWCAT_VALID = [
  'ID;',
  'IF;',
  'OI;',
  'FA;',
  'FB;',
  'MD0;',
  'SH0;',
  'NA0;',
  'FA007074000;FA;',
  'FB007076000;FB;',
  'MD0C;MD0;',
  'FT3;FT;',
  'FT2;FT;',
  'ST1;',
  'ST0;',
  'TX1;TX;',
  'TX0;TX;',
  'AB;MD02;FB007076000;',
  'PS;',
  'AI;',
  'SM0;',
  'PC;',
  'ZZ;',
];

describe.each(['ft991a', 'ftdx10', 'ft891', 'ftdx101d'])('%s under random input', (profile) => {
  it('random bytes never throw, and the framer stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const r = newcat(profile);
        for (const chunk of chunks) r.send(chunk);
        const framer = (r.emulator as unknown as { framer: { pendingBytes: number } }).framer;
        expect(framer.pendingBytes).toBeLessThanOrEqual(48);
      }),
      { numRuns: 200 },
    );
  });

  it('a valid stream split anywhere gets the same replies as in one piece', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...NEWCAT_VALID), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (commands, cuts) => {
          const stream = commands.join('');
          const whole = newcat(profile).send(stream);
          const pieces = newcat(profile);
          const split = splitAt(stream, cuts)
            .map((part) => pieces.send(part))
            .join('');
          expect(split).toBe(whole);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('valid commands after garbage are still answered', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (garbage) => {
        const r = newcat(profile);
        r.send(garbage);
        r.send(';');
        expect(r.send('ID;')).toBe(`ID${r.profile.id};`);
      }),
      { numRuns: 200 },
    );
  });
});

const LEGACY_VALID = [
  '00 00 00 00 03',
  '00 00 00 00 F7',
  '00 00 00 00 E7',
  '00 54 00 00 BB',
  '00 68 00 00 BB',
  '00 70 74 00 01',
  '01 40 74 06 01',
  '00 00 00 00 81',
  '00 00 00 00 02',
  '00 00 00 00 82',
  '00 00 00 00 08',
  '00 00 00 00 88',
  '0A 00 00 00 07',
  '01 00 00 00 07',
  '00 00 00 00 BD',
].map((f) => Uint8Array.from(f.split(' '), (h) => Number.parseInt(h, 16)));

describe.each(['ft817', 'ft818', 'ft857', 'ft897'])('%s under random input', (profile) => {
  const pending = (r: ReturnType<typeof legacy>) =>
    (r.emulator as unknown as { framer: { pendingBytes: number } }).framer.pendingBytes;

  it('random bytes at random times never throw and hold at most 4 bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.nat({ max: 300 })), { maxLength: 30 }),
        (chunks) => {
          const r = legacy(profile);
          let t = 0;
          for (const [chunk, gap] of chunks) {
            t += gap;
            r.send(chunk, t);
            expect(pending(r)).toBeLessThanOrEqual(4);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a valid stream in random chunks, bytes close together, gets the same replies as in one piece', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...LEGACY_VALID), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 15 }),
        (frames, cuts) => {
          const stream = Uint8Array.from(frames.flatMap((f) => Array.from(f)));
          const whole = legacy(profile).send(stream, 0);
          const pieces = legacy(profile);
          const split = splitAt(stream, cuts)
            .map((part, i) => pieces.send(part, i * 5))
            .filter((reply) => reply)
            .join(' ');
          expect(split).toBe(whole);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('after any garbage and a gap, a valid frame is answered exactly: misalignment never outlives a pause', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
        const r = legacy(profile);
        r.send(garbage, 0);
        // The garbage may hold real frames (a toggle, a PTT): compare with a radio freshly in that state.
        const fresh = legacy(profile, { ...r.rig.current });
        expect(r.send('00 00 00 00 03', 500)).toBe(fresh.send('00 00 00 00 03'));
        expect(r.send('00 00 00 00 F7', 505)).toBe(fresh.send('00 00 00 00 F7'));
        expect(r.frames.at(-1)?.kind).toBe('query');
      }),
      { numRuns: 200 },
    );
  });
});
