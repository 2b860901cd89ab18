import type { Rig, Vfo } from '../../../model/rig.js';
import type { Emulator, FrameEvent } from '../../../rigs/emulator.js';
import type { FrequencyRange } from '../../backends/backend.js';
import { type Command, type ConnectionState, findCommand, type Outcome } from './commands.js';
import { dumpCaps } from './dump-caps.js';
import { dumpState } from './dump-state.js';
import { HAMLIB_LONG_COMMANDS, HAMLIB_SHORT_COMMANDS, parseVfo, RPRT } from './vocabulary.js';

/** A line longer than this is not a rigctld command (the longest real one is well under 100 bytes). */
const MAX_LINE_BYTES = 1024;

export interface RigctldSessionOptions {
  rig: Rig;
  write(bytes: Uint8Array): void;
  onFrame?(event: FrameEvent): void;
  /** The radio's ranges as the backend reports them (null: it does not say). */
  ranges(): readonly FrequencyRange[] | null;
  /** The client sent `q`: close the connection once the reply is out. */
  quit(): void;
  /** Connections start in VFO mode (config `vfo_mode`, rigctld's `--vfo`). */
  vfoMode?: boolean;
}

/**
 * The rigctld protocol for one network client (Hamlib's NET protocol, byte-compatible with rigctld
 * 4.5.4 — test/doors/fixtures/ holds the captures): lines in, answers out, the connection's own VFO mode
 * and lock mode. An Emulator like a port's, so the door's connection runs through a PortSession.
 */
export class RigctldSession implements Emulator {
  readonly answersWhileRadioUnknown = true;
  private buffer = '';
  private connection: ConnectionState;

  constructor(private readonly options: RigctldSessionOptions) {
    this.connection = freshConnection(options.vfoMode ?? false);
  }

  receive(bytes: Uint8Array): void {
    this.buffer += Buffer.from(bytes).toString('latin1');
    for (;;) {
      const end = this.buffer.indexOf('\n');
      if (end < 0) break;
      const line = this.buffer.slice(0, end + 1);
      this.buffer = this.buffer.slice(end + 1);
      this.answer(line);
    }
    if (this.buffer.length > MAX_LINE_BYTES) {
      const dropped = this.buffer;
      this.buffer = '';
      this.send(dropped, `RPRT ${RPRT.EINVAL}\n`, 'overflow', 'line too long');
    }
  }

  reset(): void {
    this.buffer = '';
    this.connection = freshConnection(this.options.vfoMode ?? false);
  }

  dropInput(): void {
    // rigctld keeps a connection's VFO mode, `\chk_vfo` and lock mode for as long as it is connected.
    this.buffer = '';
  }

  stateChanged(): void {
    // rigctld sends nothing unsolicited.
  }

  /**
   * One line may hold several commands, as rigctld reads it: a command is a letter or a backslashed
   * name, then as many arguments as it takes (a VFO first in VFO mode), then the next command — `fmv`,
   * `+f +m +v` (CQRLOG polls so), `F 7074000 f`. Each is answered in turn.
   */
  private answer(line: string): void {
    let rest = line.replace(/\r?\n$/, '');
    for (;;) {
      rest = rest.trimStart();
      if (rest === '') return;
      const before = rest;
      // `+` asks for extended answers one item a line; `;`, `|` and `,` for all of it on one line.
      const prefix = /^[+;|,]/.exec(rest)?.[0];
      const separator = prefix === undefined ? null : prefix === '+' ? '\n' : prefix;
      if (prefix) rest = rest.slice(1);
      const long = rest.startsWith('\\');
      const token = long ? (/^\\(\S*)/.exec(rest)?.[1] ?? '') : rest.slice(0, 1);
      rest = rest.slice(long ? token.length + 1 : token.length);
      const command = findCommand(token, long);
      if (!command) {
        // How many arguments it takes is unknown here: the rest of the line goes with it.
        this.unserved(before, token, long, rest, separator);
        return;
      }
      const args: string[] = [];
      const wanted = command.args + (command.takesVfo && this.connection.vfoMode ? 1 : 0);
      const vfoFirst = wanted - command.args;
      while (args.length < wanted) {
        const arg = /^\s*(\S+)/.exec(rest);
        if (!arg) break;
        args.push(arg[1]!);
        rest = rest.slice(arg[0].length);
        // `L ?` asks for the list of what it sets: rigctld reads no value after a `?`.
        if (arg[1] === '?' && args.length === vfoFirst + 1) break;
      }
      this.execute(command, args, separator, before.slice(0, before.length - rest.length));
    }
  }

  /**
   * A command Hamlib has that the door does not serve gets what a rig without it gets: RPRT -11, after
   * its name in extended form (CQRLOG's start-up waits for the name of each command it sent). Anything
   * else is not a command: RPRT -1 (rigctld 4.5.4 is silent and desynchronises; a client would wait).
   */
  private unserved(
    request: string,
    token: string,
    long: boolean,
    rest: string,
    separator: string | null,
  ): void {
    const name = long
      ? HAMLIB_LONG_COMMANDS.has(token)
        ? token
        : undefined
      : HAMLIB_SHORT_COMMANDS.get(token);
    const meaning = long ? `\\${token}` : token;
    if (name === undefined) {
      this.send(request, `RPRT ${RPRT.EINVAL}\n`, 'malformed', meaning);
      return;
    }
    const args = rest
      .trim()
      .split(/\s+/)
      .filter((a) => a.length > 0);
    const header = separator === null ? '' : `${name}:${args.map((a) => ` ${a}`).join('')}${separator}`;
    this.send(request, `${header}RPRT ${RPRT.ENAVAIL}\n`, 'unknown', meaning);
  }

  private execute(command: Command, args: string[], separator: string | null, request: string): void {
    const outcome = this.run(command, args);
    const kind =
      outcome.code === RPRT.EIO && command.touchesRadio
        ? 'unavailable'
        : outcome.code === RPRT.EINVAL
          ? 'malformed'
          : command.kind === 'set'
            ? 'set'
            : 'query';
    this.send(request, format(command, args, outcome, separator), kind, command.name);
  }

  private run(command: Command, args: string[]): Outcome {
    let vfo: Vfo | undefined;
    let rest = args;
    if (command.takesVfo && this.connection.vfoMode) {
      const name = args[0];
      vfo = name === undefined ? undefined : parseVfo(name, this.options.rig);
      if (!vfo) return { code: RPRT.EINVAL };
      rest = args.slice(1);
    }
    // rigctld would wait for the missing arguments on the next line; the door says so at once.
    if (rest.length < command.args && rest[0] !== '?') return { code: RPRT.EINVAL };
    if (command.touchesRadio && !this.options.rig.online()) return { code: RPRT.EIO };
    return command.run(
      {
        rig: this.options.rig,
        connection: this.connection,
        dumpState: () => dumpState({ ranges: this.options.ranges(), withKeys: this.connection.chkVfoSeen }),
        dumpCaps: () => dumpCaps(this.options.ranges()),
        quit: () => queueMicrotask(() => this.options.quit()),
      },
      vfo,
      rest,
    );
  }

  private send(request: string, reply: string, kind: FrameEvent['kind'], meaning: string): void {
    const bytes = Buffer.from(reply, 'latin1');
    this.options.write(bytes);
    this.options.onFrame?.({ request: Buffer.from(request, 'latin1'), reply: bytes, kind, meaning });
  }
}

function freshConnection(vfoMode: boolean): ConnectionState {
  return { vfoMode, chkVfoSeen: false, lockMode: 0 };
}

/**
 * rigctld's answer shapes: plain (values a line each; `RPRT 0` for a set; `RPRT n` alone for any
 * error) or extended (`name: args` header, `Label: value` items, `RPRT n`), the separator after each
 * item being `\n` for `+` or the prefix character itself.
 */
export function format(command: Command, args: string[], outcome: Outcome, separator: string | null): string {
  const rprt = `RPRT ${outcome.code}\n`;
  if (separator === null) {
    if (outcome.code !== 0) return rprt;
    if (outcome.block !== undefined) return command.plainRprt ? outcome.block + rprt : outcome.block;
    if (!outcome.values || outcome.values.length === 0) return rprt;
    const values = outcome.values.map((v) => `${v.text}\n`).join('');
    return command.plainRprt ? values + rprt : values;
  }
  if (command.bare) {
    if (outcome.code !== 0 || !outcome.values) return rprt;
    return outcome.values.map((v) => `${v.label}: ${v.text}\n`).join('');
  }
  let text = `${command.name}:${args.map((a) => ` ${a}`).join('')}${separator}`;
  if (outcome.code === 0) {
    if (outcome.block !== undefined) text += outcome.block;
    for (const v of outcome.values ?? []) {
      text += `${v.label === null ? '' : `${v.label}: `}${v.text}${v.newline ? '\n' : separator}`;
    }
  }
  return text + rprt;
}
