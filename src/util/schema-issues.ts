/**
 * Turns a schema's complaints about a YAML file into sentences a user can act on: what is missing or
 * wrong, in the file's terms, with "did you mean" for a misspelled key or value. No validator wording
 * ("Invalid input: expected record, received undefined") reaches the user; our own messages (a
 * regex's explanation such as "expected host:port") do.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Path = readonly (string | number)[];

/** A misspelling is at most this many edits away (ptt_max_secnds → max_seconds is not one; alow → allow is). */
const MAX_EDITS = 2;

/** The closest of `candidates` to `word`, if it is near enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  // A key written without its unit (settle → settle_ms) is one too.
  const extended = candidates.find((c) => word.length >= 3 && c.startsWith(`${word}_`));
  if (extended) return extended;
  const best = closest(word, candidates as string[]);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.min(MAX_EDITS, Math.ceil(word.length / 2))
    ? best
    : undefined;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema of the value at `path`, looking through defaults, optionals and records. */
function schemaAt(schema: z.ZodType, path: Path): z.ZodType | undefined {
  let node: z.ZodType | undefined = schema;
  for (let i = 0; node && i <= path.length; i++) {
    let def = defOf(node);
    while (def.innerType || def.in) {
      node = (def.innerType ?? def.in)!;
      def = defOf(node);
    }
    if (i === path.length) return node;
    const key = path[i]!;
    node =
      def.type === 'object' ? def.shape?.[String(key)] : def.type === 'record' ? def.valueType : undefined;
  }
  return node;
}

/** The keys allowed in the map at `path` (empty when it is not a fixed set of keys). */
export function keysAt(schema: z.ZodType, path: Path): string[] {
  const node = schemaAt(schema, path);
  const shape = node ? defOf(node).shape : undefined;
  return shape ? Object.keys(shape) : [];
}

function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node;
}

const EXPECTED: Record<string, string> = {
  object: 'a map of settings, indented below it',
  record: 'a map of names, each with its settings, indented below it',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
};

function what(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the fraction ${value}`;
  return `${typeof value === 'boolean' ? '' : 'the number '}${String(value)}`.trim();
}

/** One issue, as a sentence (without the location, which the caller adds); one entry per problem. */
export function describeIssue(
  issue: Issue,
  schema: z.ZodType,
  value: unknown,
): { path: Path; message: string }[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const found = valueAt(value, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, path);
      return issue.keys.map((key) => {
        const guess = didYouMean(key, allowed);
        const hint = guess ? `did you mean "${guess}"?` : `allowed here: ${allowed.join(', ')}`;
        return { path: [...path, key], message: `unknown key; ${hint}` };
      });
    }
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (found === undefined) return [{ path, message: `required, but missing (expected ${expected})` }];
      return [{ path, message: `expected ${expected}, found ${what(found)}` }];
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      if (found === undefined)
        return [{ path, message: `required, but missing (one of ${allowed.join(', ')})` }];
      const guess = typeof found === 'string' ? didYouMean(found, allowed) : undefined;
      const hint = guess ? `; did you mean "${guess}"?` : '';
      return [{ path, message: `must be one of ${allowed.join(', ')}, not ${what(found)}${hint}` }];
    }
    case 'too_small':
    case 'too_big': {
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const bound = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'array') {
        const count = Array.isArray(found) ? found.length : 0;
        return [
          {
            path,
            message: `must list ${bound} ${String(limit)} ${Number(limit) === 1 ? 'item' : 'items'}, not ${count}`,
          },
        ];
      }
      const unit = issue.origin === 'string' ? ' characters long' : '';
      return [{ path, message: `must be ${bound} ${String(limit)}${unit}, not ${what(found)}` }];
    }
    case 'invalid_key':
      // A map key that breaks its rule: the rule's own message (e.g. what a port name may contain).
      return [{ path, message: `bad name: ${issue.issues.map((i) => i.message).join('; ')}` }];
    case 'invalid_format':
      // Only our regexes check formats, and each carries its explanation as its message.
      return [{ path, message: `${issue.message}, not ${what(found)}` }];
    default:
      return [{ path, message: issue.message }];
  }
}
