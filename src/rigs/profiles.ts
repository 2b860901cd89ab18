import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { didYouMean } from '../util/schema-issues.js';
import { ConfigError, YamlSource } from '../util/yaml-source.js';
import { FAMILIES, familySchema, type Profile } from './families.js';

export type { Profile };

/** Where the shipped profiles live. */
export function profileDir(): string {
  return join(packageRoot(), 'config', 'rigs');
}

/**
 * Loads a rig profile: a bare name (`ts2000`) from config/rigs/, anything with a `/` or ending in
 * `.yaml` as a path. Errors are ConfigErrors naming the file, line, column and key.
 */
export function loadProfile(nameOrPath: string, dir: string = profileDir()): Profile {
  const isPath = nameOrPath.includes('/') || nameOrPath.endsWith('.yaml');
  if (!isPath && !/^[A-Za-z0-9_-]+$/.test(nameOrPath)) {
    throw new ConfigError([
      `profile name "${nameOrPath}" is not a name (letters, digits, - and _) or a path`,
    ]);
  }
  const file = isPath ? resolve(nameOrPath) : join(dir, `${nameOrPath}.yaml`);
  if (!isPath && !listProfileNames(dir).includes(nameOrPath)) {
    const known = listProfileNames(dir);
    const guess = didYouMean(nameOrPath, known);
    const hint = guess ? `did you mean "${guess}"? ` : '';
    throw new ConfigError([`no rig profile "${nameOrPath}" (${hint}known: ${known.join(', ')})`]);
  }
  const source = YamlSource.fromFile(file);
  const raw = source.value() as { family?: unknown } | null;
  const family = typeof raw?.family === 'string' ? raw.family : undefined;
  const schema = family ? familySchema(family) : undefined;
  if (!schema) {
    const known = Object.keys(FAMILIES);
    const guess = family ? didYouMean(family, known) : undefined;
    const hint = guess ? `did you mean "${guess}"? ` : '';
    throw new ConfigError([
      source.problem(
        ['family'],
        `unknown or missing family "${family ?? ''}" (${hint}known: ${known.join(', ')})`,
      ),
    ]);
  }
  const parsed = source.parse(schema) as Omit<Profile, 'key' | 'file'>;
  return { ...parsed, key: isPath ? file : basename(file, '.yaml'), file } as Profile;
}

export function listProfileNames(dir: string = profileDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/**
 * How Hamlib reaches the model (its "Port type"): a profile without `serial:` is one Hamlib opens only
 * over the network (the FLEX-6000), so Hamlib programs need the port's CAT over TCP; other programs
 * may still use a pty, as they use SmartSDR CAT's virtual serial ports.
 */
export function hamlibPortType(profile: Profile): 'serial' | 'network' {
  return profile.serial === undefined ? 'network' : 'serial';
}

/** Every shipped profile. */
export function listProfiles(dir: string = profileDir()): Profile[] {
  return listProfileNames(dir).map((name) => loadProfile(name, dir));
}
