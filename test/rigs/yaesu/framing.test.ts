/**
 * The 5-byte framing: frames that arrive one byte at a time or split anywhere, and the gap rule that
 * realigns a stream that lost a byte (research/hamlib.md §6.1; Hamlib writes the FT-817 at 1 ms and the
 * FT-897 at 5 ms per byte, and waits at least 200 ms for an answer).
 */
import { describe, expect, it } from 'vitest';
import { FiveByteFramer } from '../../../src/rigs/yaesu/legacy/framer.js';
import { bytes, legacy } from './harness.js';

/** Frames Hamlib sends at open and in use, and what the FT-817 answers to each (A 14.074, B 14.076 MHz). */
const STREAM: [string, string][] = [
  ['00 54 00 00 BB', '00 00'],
  ['00 00 00 00 03', '01 40 74 00 01'],
  ['00 70 74 00 01', '00'],
  ['00 00 00 00 03', '00 70 74 00 01'],
  ['00 00 00 00 F7', 'FF'],
  ['00 00 00 00 08', '00'],
  ['00 00 00 00 F7', '05'],
  ['00 00 00 00 88', '00'],
  ['0A 00 00 00 07', '00'],
  ['00 64 00 00 BB', '00 80'],
];
const REQUEST = bytes(STREAM.map(([q]) => q).join(' '));
const REPLY = STREAM.map(([, a]) => a).join(' ');

describe('5-byte framing', () => {
  it('the same replies whether frames come whole, byte by byte, or split at any byte boundary', () => {
    expect(legacy('ft817', { rfPower: 0.5 }).send(REQUEST)).toBe(REPLY);
    const byByte = legacy('ft817', { rfPower: 0.5 });
    const replies = Array.from(REQUEST, (b, i) => byByte.send([b], i * 1)).filter((r) => r);
    expect(replies.join(' ')).toBe(REPLY);
    for (let cut = 1; cut < REQUEST.length; cut++) {
      const r = legacy('ft817', { rfPower: 0.5 });
      const reply = [r.send(REQUEST.slice(0, cut), 0), r.send(REQUEST.slice(cut), 3)].filter((x) => x);
      expect(reply.join(' '), `cut at byte ${cut}`).toBe(REPLY);
    }
  });

  it('bytes 5 ms apart (Hamlib on the FT-897) make one frame; a gap of 100 ms starts a new one', () => {
    const r = legacy('ft897');
    const frame = bytes('00 00 00 00 03');
    const out = Array.from(frame, (b, i) => r.send([b], 1000 + i * 5)).join('');
    expect(out).toBe('01 40 74 00 01');
    expect(r.frames.map((f) => f.kind)).toEqual(['query']);
  });

  it('a lost byte: the partial frame is dropped at the next gap and the following frames are answered', () => {
    const r = legacy('ft817');
    // "01 40 74 00 01" with its opcode byte lost on the way: 4 bytes, then silence.
    expect(r.send('01 40 74 00', 0)).toBe('');
    // Hamlib waits for its ACK (up to 3 s), then goes on with its next command.
    expect(r.send('00 00 00 00 03', 3000)).toBe('01 40 74 00 01');
    expect(r.send('00 00 00 00 F7', 3010)).toBe('FF');
    expect(r.frames.map((f) => f.kind)).toEqual(['resync', 'query', 'query']);
    expect(r.frames[0]?.request).toEqual(bytes('01 40 74 00'));
    expect(r.rig.calls).toEqual([]);
  });

  it('without read times there is no gap rule: a lost byte misaligns (why the port passes readAtMs)', () => {
    const r = legacy('ft817');
    r.send('01 40 74 00');
    expect(r.send('00 00 00 00 03')).not.toBe('01 40 74 00 01');
  });

  it('holds at most 4 bytes; reset forgets a half frame', () => {
    const framer = new FiveByteFramer({ gapMs: 100 });
    const frames: Uint8Array[] = [];
    framer.push(bytes('01 02 03 04 05 06 07 08 09'), { frame: (f) => frames.push(f), dropped: () => {} }, 0);
    expect(frames).toEqual([bytes('01 02 03 04 05')]);
    expect(framer.pendingBytes).toBe(4);
    framer.reset();
    expect(framer.pendingBytes).toBe(0);
    framer.push(bytes('00 00 00 00 03'), { frame: (f) => frames.push(f), dropped: () => {} }, 1);
    expect(frames[1]).toEqual(bytes('00 00 00 00 03'));
  });

  it('a resync is reported with the dropped bytes; a gap between whole frames is not a resync', () => {
    const framer = new FiveByteFramer({ gapMs: 100 });
    const dropped: Uint8Array[] = [];
    const sink = { frame: () => {}, dropped: (d: { bytes: Uint8Array }) => dropped.push(d.bytes) };
    framer.push(bytes('00 00 00 00 03'), sink, 0);
    framer.push(bytes('00 00 00 00 03'), sink, 5000);
    expect(dropped).toEqual([]);
    framer.push(bytes('00 00'), sink, 5001);
    framer.push(bytes('00 00 00 00 03'), sink, 5099); // 98 ms: same frame
    expect(dropped).toEqual([]);
    framer.push(bytes('AA'), sink, 5300);
    expect(dropped).toEqual([bytes('00 03')]);
  });
});
