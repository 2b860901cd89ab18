import type { CommandOutcome } from './dialect.js';
import { REJECT } from './dialect.js';

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
    return { reply: REJECT, kind: 'unknown', meaning: `unknown command ${command}` };
  }

  /** The client closed the port: its own settings are forgotten. */
  reset(): void {
    this.portAnswers.clear();
  }
}
