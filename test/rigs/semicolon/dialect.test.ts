import { describe, expect, it } from 'vitest';
import { findCommand, type SemicolonCommandTable } from '../../../src/rigs/semicolon/dialect.js';

type Capability = 'sub';
const TABLE: SemicolonCommandTable<null, Capability> = {
  FA: { run: () => ({ reply: 'FA', kind: 'query', meaning: 'FA' }) },
  MD: { run: () => ({ reply: 'MD', kind: 'query', meaning: 'MD' }) },
  MD$: { needs: 'sub', run: () => ({ reply: 'MD$', kind: 'query', meaning: 'MD$' }) },
  ZZFA: { run: () => ({ reply: 'ZZFA', kind: 'query', meaning: 'ZZFA' }) },
  PS: { run: () => ({ reply: 'PS', kind: 'query', meaning: 'PS' }) },
};

function lookup(command: string, capabilities: Capability[] = [], lacks: string[] = []) {
  const found = findCommand(TABLE, command, (c) => capabilities.includes(c), lacks);
  return found && { name: found.entry.run(null, found.args, command).reply, args: found.args };
}

describe('a family command table', () => {
  it('takes the longest name that is a prefix: ZZFA before FA, MD$ before MD', () => {
    expect(lookup('ZZFA00014074000')).toEqual({ name: 'ZZFA', args: '00014074000' });
    expect(lookup('FA00014074000')).toEqual({ name: 'FA', args: '00014074000' });
    expect(lookup('MD$2', ['sub'])).toEqual({ name: 'MD$', args: '2' });
  });
  it('a command needing a capability the profile lacks is not there (MD$ falls back to nothing)', () => {
    // Without the capability `MD$2` is not an `MD` with odd arguments: it is the MD handler's to refuse.
    expect(lookup('MD$2')).toEqual({ name: 'MD', args: '$2' });
  });
  it("a command the profile lists under lacks is the radio's unknown command", () => {
    expect(lookup('PS', [], ['PS'])).toBeUndefined();
    expect(lookup('XY')).toBeUndefined();
  });
});
