import { describe, expect, it } from 'vitest';
import { KenwoodFramer } from '../../../src/rigs/kenwood/framer.js';

function frame(chunks: string[], max = 64) {
  const framer = new KenwoodFramer(max);
  const commands: string[] = [];
  const dropped: string[] = [];
  for (const chunk of chunks) {
    framer.push(
      Buffer.from(chunk, 'latin1'),
      (c) => commands.push(c),
      (d) => dropped.push(d),
    );
  }
  return { commands, dropped, framer };
}

describe('KenwoodFramer', () => {
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
    expect(dropped).toHaveLength(1);
    expect(commands).toEqual(['ID']);
    expect(framer.pendingBytes).toBe(0);
  });
  it('never holds more than the cap', () => {
    const { framer } = frame(['Z'.repeat(10_000)], 64);
    expect(framer.pendingBytes).toBeLessThanOrEqual(64);
  });
});
