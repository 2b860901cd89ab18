import type { z } from 'zod';
import { familySchema, type Profile } from '../../src/rigs/families.js';

/**
 * The switches a profile turns on in its family's code, read from the family's schema: every enum
 * value, `true` flag and named capability, and which of the profile's optional top-level parts it has
 * (no `serial:` makes a network-only radio; `supply_meters` turns on the Icom Vd/Id reads). Tables of
 * values (records, numbers, text, calibrations) are data. The serial settings are not switches: they
 * are informational on a pty.
 */
export function switchesOf(profile: Profile): Set<string> {
  const schema = familySchema(profile.family);
  if (!schema) throw new Error(`no family ${profile.family}`);
  const found = new Set<string>();
  walk(schema, profile, '', found);
  return found;
}

/** For each profile, the switches no other profile turns on: family code that serves only that radio. */
export function ownSwitches(profiles: readonly Profile[]): Map<string, string[]> {
  const switches = new Map(profiles.map((p) => [p.key, switchesOf(p)]));
  const own = new Map<string, string[]>();
  for (const [key, mine] of switches) {
    const only = [...mine].filter(
      (s) => ![...switches].some(([other, theirs]) => other !== key && theirs.has(s)),
    );
    if (only.length > 0) own.set(key, only.sort());
  }
  return own;
}

type Node = z.ZodType & { type?: string; def?: Record<string, unknown> };

function walk(schema: z.ZodType, value: unknown, path: string, found: Set<string>): void {
  const node = schema as Node;
  const def = (node.def ?? {}) as {
    innerType?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    element?: z.ZodType;
  };
  const topLevel = path !== '' && !path.includes('.');
  switch (node.type) {
    case 'optional':
      if (topLevel) found.add(`${path} ${value === undefined ? 'absent' : 'present'}`);
      if (value !== undefined) walk(def.innerType!, value, path, found);
      return;
    case 'default':
    case 'nullable':
    case 'readonly':
      if (value !== undefined && value !== null) walk(def.innerType!, value, path, found);
      return;
    case 'object':
      if (path === 'serial') return;
      for (const [key, sub] of Object.entries(def.shape ?? {}))
        walk(sub, (value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, found);
      return;
    case 'enum':
      found.add(`${path}=${String(value)}`);
      return;
    case 'boolean':
      if (value === true) found.add(path);
      return;
    case 'array':
      if ((def.element as Node).type === 'enum' && Array.isArray(value))
        for (const item of value) found.add(`${path}:${String(item)}`);
      return;
    default:
      return;
  }
}
