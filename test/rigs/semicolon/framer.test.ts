import { describe, expect, it } from 'vitest';
import { SemicolonFramer } from '../../../src/rigs/semicolon/framer.js';

function frame(chunks: string[], max = 64) {
  const framer = new SemicolonFramer({ maxFrameBytes: max });
  const commands: string[] = [];
  const dropped: string[] = [];
  for (const chunk of chunks) {
    framer.push(Buffer.from(chunk, 'latin1'), {
      frame: (c) => commands.push(c),
      dropped: (d) => dropped.push(`${d.kind}: ${Buffer.from(d.bytes).toString('latin1')}`),
    });
  }
  return { commands, dropped, framer };
}

describe('SemicolonFramer', () => {
  it('cuts several commands in one chunk, in order', () => {
    expect(frame(['FR0;FT1;ID;']).commands).toEqual(['FR0', 'FT1', 'ID']);
  });
  it('joins a command split across chunks anywhere', () => {
    expect(frame(['F', 'A0001', '4074000', ';I', 'D;']).commands).toEqual(['FA00014074000', 'ID']);
  });
  it('ignores CR, LF and NUL between commands', () => {
    expect(frame(['ID;\r\n', '\0FA;']).commands).toEqual(['ID', 'FA']);
  });
  it('drops an overlong run once, then resynchronises at the next ;', () => {
    const { commands, dropped, framer } = frame(['X'.repeat(200), 'Y'.repeat(100), ';ID;'], 64);
    expect(dropped).toEqual([`overflow: ${'X'.repeat(64)}`]);
    expect(commands).toEqual(['ID']);
    expect(framer.pendingBytes).toBe(0);
  });
  it('never holds more than the cap', () => {
    const { framer } = frame(['Z'.repeat(10_000)], 64);
    expect(framer.pendingBytes).toBeLessThanOrEqual(64);
  });
  it('refuses a cap that is not a positive integer, saying which option', () => {
    expect(() => new SemicolonFramer({ maxFrameBytes: 0 })).toThrow(TypeError);
    expect(() => new SemicolonFramer({ maxFrameBytes: 1.5 })).toThrow(/maxFrameBytes/);
  });
  it('cuts the four-letter ZZ commands like any other', () => {
    expect(frame(['ZZFA00014074000;ZZMD;']).commands).toEqual(['ZZFA00014074000', 'ZZMD']);
  });
});
