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
