import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** What a catbridge that keyed a radio left on disk until the radio confirmed the unkey. */
export interface PttRecordContent {
  pid: number;
  backend: string;
  address: string;
  /** The port that keyed it. */
  port: string;
  keyedAt: string;
}

/**
 * Where catbridge keeps its state files: `$CATBRIDGE_STATE_DIR`, else `$XDG_RUNTIME_DIR/catbridge`
 * (beside the default links), else `~/.catbridge`.
 */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CATBRIDGE_STATE_DIR && isAbsolute(env.CATBRIDGE_STATE_DIR)) return env.CATBRIDGE_STATE_DIR;
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime && isAbsolute(runtime) ? join(runtime, 'catbridge') : join(homedir(), '.catbridge');
}

/**
 * A small file that says "this catbridge keyed the radio behind this backend and has not seen it
 * unkeyed": written (synchronously, before the PTT-on is sent) when a port keys, removed when the
 * radio confirms RX. A catbridge killed with SIGKILL (nothing can unkey then) leaves it behind, and
 * the next start on the same backend reads it: the radio it finds keyed is one it left keyed, and
 * unkeys it. A keyed radio with no record was keyed by someone else, and is left alone.
 */
export class PttRecord {
  private written = false;

  constructor(
    readonly path: string,
    private readonly backend: string,
    private readonly address: string,
  ) {}

  /** The record for a backend (one file per backend name and address). */
  static forBackend(name: string, address: string, env: NodeJS.ProcessEnv = process.env): PttRecord {
    const safe = `${name}@${address}`.replace(/[^A-Za-z0-9_.@-]/g, '_');
    return new PttRecord(join(stateDirectory(env), `ptt-${safe}.json`), name, address);
  }

  /** What a previous run left, if anything (unreadable counts as nothing). */
  read(): PttRecordContent | null {
    try {
      const content = JSON.parse(readFileSync(this.path, 'utf8')) as PttRecordContent;
      return typeof content.pid === 'number' ? content : null;
    } catch {
      return null;
    }
  }

  /** This process keys the radio. Never throws: a record that cannot be written is logged by the caller. */
  keyed(port: string): Error | null {
    const content: PttRecordContent = {
      pid: process.pid,
      backend: this.backend,
      address: this.address,
      port,
      keyedAt: new Date().toISOString(),
    };
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const temporary = `${this.path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600 });
      renameSync(temporary, this.path);
      this.written = true;
      return null;
    } catch (err) {
      return err as Error;
    }
  }

  /** The radio confirmed RX (or a previous run's record was dealt with). */
  clear(force = false): void {
    if (!this.written && !force) return;
    this.written = false;
    rmSync(this.path, { force: true });
  }
}
