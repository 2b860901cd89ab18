/** The stub DriverKit SDK's paths and its iig stand-in (dext/stub-sdk/README.md), for the dext tests. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run.js';

export const dextDir = fileURLToPath(new URL('../../dext', import.meta.url));
export const glueDir = join(dextDir, 'driverkit');
export const sdkDir = join(dextDir, 'stub-sdk', 'driverkit');
export const cxx = process.env.CXX ?? 'g++';

/** The glue's .iig files. */
export function iigFiles(): string[] {
  return readdirSync(glueDir)
    .filter((f) => f.endsWith('.iig'))
    .map((f) => join(glueDir, f));
}

/** Generates the headers iig would from `files` into `into` and returns it. */
export async function generateHeaders(files: string[], into: string): Promise<string> {
  const iig = join(dextDir, 'stub-sdk', 'iig.mjs');
  const result = await run(process.execPath, [iig, '--sdk', sdkDir, '--out', into, ...files]);
  if (result.code !== 0) throw new Error(`iig.mjs failed:\n${result.output}`);
  return into;
}
