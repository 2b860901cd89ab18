import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CivFrame, CivFramer } from '../../../src/rigs/icom/framer.js';
import { bytes, hexOf } from './harness.js';

function run(framer: CivFramer, data: Uint8Array) {
  const frames: CivFrame[] = [];
  const dropped: string[] = [];
  framer.push(data, { frame: (f) => frames.push(f), dropped: (d) => dropped.push(d.why) });
  return { frames: frames.map((f) => hexOf(f.raw)), dropped };
}

describe('CivFramer', () => {
  it('cuts frames and reads the addresses and body', () => {
    const framer = new CivFramer();
    const frames: CivFrame[] = [];
    framer.push(bytes('FE FE 94 E0 25 00 FD'), { frame: (f) => frames.push(f), dropped: () => {} });
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ to: 0x94, from: 0xe0 });
    expect(hexOf(frames[0]!.body)).toBe('25 00');
  });

  it('takes extra preambles, restarts on a preamble inside a frame, skips bytes between frames', () => {
    const framer = new CivFramer();
    const out = run(framer, bytes('33 FE FE FE FE 94 E0 03 FD 12 FE FE 94 E0 25 FE FE 94 E0 18 FD'));
    expect(out.frames).toEqual(['FE FE 94 E0 03 FD', 'FE FE 94 E0 18 FD']);
    expect(out.dropped).toEqual(['half frame abandoned']);
  });

  it('drops a frame longer than the cap and resynchronises', () => {
    const framer = new CivFramer({ maxFrameBytes: 16 });
    const out = run(framer, bytes(`FE FE 94 E0 ${'01 '.repeat(20)} FD FE FE 94 E0 18 FD`));
    expect(out.dropped).toEqual(['no FD within 16 bytes']);
    expect(out.frames).toEqual(['FE FE 94 E0 18 FD']);
  });

  it('never holds more than the cap, whatever arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 40 }), (chunks) => {
        const framer = new CivFramer({ maxFrameBytes: 32 });
        for (const chunk of chunks) {
          framer.push(chunk, { frame: () => {}, dropped: () => {} });
          expect(framer.pendingBytes).toBeLessThanOrEqual(32);
        }
        // After a terminator and a fresh preamble the framer is always in step again.
        const out = run(framer, bytes('FD FE FE 94 E0 18 FD'));
        expect(out.frames.at(-1)).toBe('FE FE 94 E0 18 FD');
      }),
      { numRuns: 500 },
    );
  });
});
