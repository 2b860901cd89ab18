import type { EmulatorOptions, FrameEvent } from '../emulator.js';
import { droppedEvent } from '../emulator.js';
import type { Framer } from '../framer.js';

/** What one `;`-terminated command produced: its answer without `;` (none for a silent set), and how to report it. */
export interface CommandOutcome {
  reply?: string;
  kind: FrameEvent['kind'];
  meaning: string;
}

/** What every `;` dialect answers to a command it cannot take (Kenwood, Elecraft, ZZ and newcat alike). */
export const REJECT = '?';

/**
 * One command of a family's table (STYLE.md: a family is a table, like Hamlib's `valid_commands[]`):
 * its handler, and the named capability a profile must switch on for the command to exist. Without
 * the capability the command is the radio's unknown command.
 */
export interface SemicolonCommand<E, C extends string> {
  needs?: C;
  run(emulator: E, args: string, command: string): CommandOutcome;
}

export type SemicolonCommandTable<E, C extends string> = Readonly<Record<string, SemicolonCommand<E, C>>>;

/**
 * The table entry for a command and its arguments: the longest name that is a prefix (`ZZFA` before
 * `FA`, `MD$` before `MD`) and that this radio has. Undefined: not a command this radio has.
 */
export function findCommand<E, C extends string>(
  table: SemicolonCommandTable<E, C>,
  command: string,
  has: (capability: C) => boolean,
  lacks: readonly string[],
): { entry: SemicolonCommand<E, C>; args: string } | undefined {
  for (let length = Math.min(4, command.length); length >= 2; length--) {
    const name = command.slice(0, length);
    const entry = table[name];
    if (!entry || lacks.includes(name)) continue;
    if (entry.needs !== undefined && !has(entry.needs)) continue;
    return { entry, args: command.slice(length) };
  }
  return undefined;
}

const encoder = new TextEncoder();

/**
 * The receive loop every `;`-terminated dialect shares: cut the chunk into commands, answer each in
 * order, report each frame, and write the answers of the whole chunk at once, so the replies to
 * `FR0;FT1;ID;` or `MD02;MD0;` leave together, in order.
 */
export function receiveCommands(
  framer: Framer<string>,
  bytes: Uint8Array,
  execute: (command: string) => CommandOutcome,
  options: Pick<EmulatorOptions<unknown>, 'write' | 'onFrame'>,
): void {
  let out = '';
  framer.push(bytes, {
    frame: (command) => {
      const outcome = execute(command);
      const reply = outcome.reply === undefined ? '' : `${outcome.reply};`;
      out += reply;
      options.onFrame?.({
        request: encoder.encode(`${command};`),
        reply: encoder.encode(reply),
        kind: outcome.kind,
        meaning: outcome.meaning,
      });
    },
    dropped: (dropped) => options.onFrame?.(droppedEvent(dropped)),
  });
  if (out) options.write(encoder.encode(out));
}

export function malformed(command: string): CommandOutcome {
  return { reply: REJECT, kind: 'malformed', meaning: `bad arguments: ${command}` };
}

/** `value` as `width` decimal digits, clamped to what the field can show. */
export function digits(value: number, width: number): string {
  const clamped = Math.max(0, Math.min(10 ** width - 1, Math.round(value)));
  return String(clamped).padStart(width, '0');
}
