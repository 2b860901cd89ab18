import type { EmulatorOptions, FrameEvent } from './emulator.js';
import type { KenwoodFramer } from './kenwood/framer.js';

/** What one `;`-terminated command produced: its answer without `;` (none for a silent set), and how to report it. */
export interface CommandOutcome {
  reply?: string;
  kind: FrameEvent['kind'];
  meaning: string;
}

const encoder = new TextEncoder();

/**
 * The receive loop every `;`-terminated dialect shares (Kenwood and its descendant, Yaesu newcat):
 * cut the chunk into commands, answer each in order, report each frame, and write the answers of the
 * whole chunk at once, so the replies to `FR0;FT1;ID;` or `MD02;MD0;` leave together, in order.
 */
export function receiveCommands(
  framer: KenwoodFramer,
  bytes: Uint8Array,
  execute: (command: string) => CommandOutcome,
  options: Pick<EmulatorOptions<unknown>, 'write' | 'onFrame'>,
): void {
  let out = '';
  framer.push(
    bytes,
    (command) => {
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
    (dropped) => {
      options.onFrame?.({
        request: encoder.encode(dropped),
        reply: new Uint8Array(0),
        kind: 'overflow',
        meaning: `${dropped.length} bytes without ';' dropped`,
      });
    },
  );
  if (out) options.write(encoder.encode(out));
}

/**
 * A `;`-dialect profile's table of what the real radio answers beyond the canonical model (AF gain,
 * firmware, AGC, …): an exact query gets the stored answer; a set of the answer's length is kept for
 * this port and read back, as the radio would; a listed silent set is taken without an answer; anything
 * else is the dialect's `?;`. One per port (its sets are the port's own business).
 */
export class AnswerTable {
  private readonly portAnswers = new Map<string, string>();

  constructor(
    private readonly answers: Readonly<Record<string, string>>,
    private readonly silentSets: readonly string[],
  ) {}

  answer(command: string): CommandOutcome {
    const known = this.answers[command];
    if (known !== undefined) {
      return { reply: this.portAnswers.get(command) ?? known, kind: 'query', meaning: `get ${command}` };
    }
    for (const [query, answer] of Object.entries(this.answers)) {
      if (command.startsWith(query) && command.length === answer.length && command !== query) {
        this.portAnswers.set(query, command);
        return { kind: 'set', meaning: `set ${command}` };
      }
    }
    for (const set of this.silentSets) {
      if (command.startsWith(set)) return { kind: 'set', meaning: `${command} (accepted)` };
    }
    return { reply: '?', kind: 'unknown', meaning: `unknown command ${command}` };
  }

  /** The client closed the port: its own settings are forgotten. */
  reset(): void {
    this.portAnswers.clear();
  }
}
