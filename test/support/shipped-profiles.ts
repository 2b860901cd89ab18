import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The rig profiles shipped in config/rigs, read from the directory itself rather than through src/rigs. */
export function shippedProfileNames(): string[] {
  return readdirSync(join(import.meta.dirname, '..', '..', 'config', 'rigs'))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}
