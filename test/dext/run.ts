/** Runs a program to completion and reports its exit and output, never throwing: the dext tests' runner. */
import { execFile } from 'node:child_process';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

export function run(
  file: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (err, stdout, stderr) => {
        const failure = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          output: stdout + stderr,
        });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
