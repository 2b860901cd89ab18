import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { describeIssue } from './schema-issues.js';

/** A configuration or profile error that names the file, line, column and key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export type KeyPath = readonly (string | number)[];

/** A parsed YAML file that can point at the line and column of any key in it. */
export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly doc: ReturnType<typeof parseDocument>,
    private readonly lines: LineCounter,
  ) {}

  static fromFile(file: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError([`${file}: cannot read: ${(err as Error).message}`]);
    }
    return YamlSource.fromText(text, file);
  }

  static fromText(text: string, file: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        doc.errors.map((e) => {
          // linePos is only filled in with prettyErrors, which also rewrites the message; pos always is.
          const pos = lines.linePos(e.pos[0]);
          return `${file}:${pos.line}:${pos.col}: YAML syntax: ${e.message.split('\n')[0]}`;
        }),
      );
    }
    return new YamlSource(file, doc, lines);
  }

  /** The plain JavaScript value of the document. */
  value(): unknown {
    return this.doc.toJS();
  }

  /** `file:line:col` of a key (the key itself where it exists, else its nearest existing parent). */
  where(path: KeyPath): string {
    for (let depth = path.length; depth >= 0; depth--) {
      const parentPath = path.slice(0, depth - 1);
      const key = path[depth - 1];
      const parent = depth === 0 ? this.doc.contents : this.doc.getIn(parentPath, true);
      let range: [number, number, number] | undefined | null;
      if (depth === 0) {
        range = isNode(parent) ? parent.range : undefined;
      } else if (parent && typeof parent === 'object' && 'items' in parent) {
        const items = (parent as { items: unknown[] }).items;
        const pair = items.find((item, index) => {
          if (item && typeof item === 'object' && 'key' in item) {
            const k = (item as { key: unknown }).key;
            return (isNode(k) ? (k as unknown as { value: unknown }).value : k) === key;
          }
          return index === key;
        });
        if (pair && typeof pair === 'object' && 'key' in pair) {
          const k = (pair as { key: unknown }).key;
          range = isNode(k) ? k.range : undefined;
        } else if (isNode(pair)) {
          range = pair.range;
        }
      }
      if (range) {
        const pos = this.lines.linePos(range[0]);
        return `${this.file}:${pos.line}:${pos.col}`;
      }
    }
    return `${this.file}:1:1`;
  }

  /** A message of the shape `file:line:col: key a.b.c: problem`. */
  problem(path: KeyPath, message: string): string {
    const key = path.length > 0 ? ` ${path.join('.')}:` : '';
    return `${this.where(path)}:${key} ${message}`;
  }

  /** Validates the document against a zod schema; every issue becomes one located problem. */
  parse<T extends z.ZodType>(schema: T): z.infer<T> {
    const result = this.check(schema);
    if (result.problems.length > 0) throw new ConfigError(result.problems);
    return result.data as z.infer<T>;
  }

  /** Like parse, without throwing: the value when valid, and every problem located, in plain words. */
  check<T extends z.ZodType>(schema: T): { data?: z.infer<T>; problems: string[] } {
    const value = this.value() ?? {};
    const result = schema.safeParse(value);
    if (result.success) return { data: result.data, problems: [] };
    const problems = result.error.issues.flatMap((issue) =>
      describeIssue(issue, schema, value).map(({ path, message }) => this.problem(path, message)),
    );
    return { problems };
  }
}
