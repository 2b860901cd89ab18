/** Property tests: garbage never crashes a port or grows its memory; chunking never changes the answers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { radio } from './harness.js';

const VALID = [
  'ID;',
  'IF;',
  'FA;',
  'FB;',
  'MD;',
  'FA00007074000;',
  'FR0;FT1;',
  'FR0;FT0;',
  'MD3;',
  'PS;',
  'AI;',
  'SM0;',
  'PC;',
  'TX;',
  'RX;',
  'ZZ;',
];

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(text.slice(last, p));
    last = p;
  }
  parts.push(text.slice(last));
  return parts;
}

describe.each(['ts2000', 'ts590sg', 'ts480', 'k3'])('%s under random input', (profile) => {
  it('random bytes never throw, and the framer stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const r = radio(profile);
        for (const chunk of chunks) r.send(chunk);
        const framer = (r.emulator as unknown as { framer: { pendingBytes: number } }).framer;
        expect(framer.pendingBytes).toBeLessThanOrEqual(64);
      }),
      { numRuns: 200 },
    );
  });

  it('a valid stream split anywhere gets the same replies as in one piece', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...VALID), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (commands, cuts) => {
          const stream = commands.join('');
          const whole = radio(profile).send(stream);
          const pieces = radio(profile);
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
        const r = radio(profile);
        r.send(garbage);
        // Whatever the garbage left, one ';' ends it; then the radio answers normally.
        r.send(';');
        expect(r.send('ID;')).toBe(`ID${r.profile.id};`);
      }),
      { numRuns: 200 },
    );
  });
});
