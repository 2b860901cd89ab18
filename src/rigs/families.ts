import type { z } from 'zod';
import type { Emulator, EmulatorOptions } from './emulator.js';
import { createIcomEmulator } from './icom/emulator.js';
import { type IcomProfile, icomProfileSchema } from './icom/profile.js';
import { createKenwoodEmulator } from './kenwood/emulator.js';
import { type KenwoodProfile, kenwoodProfileSchema } from './kenwood/profile.js';
import { createLegacyEmulator } from './yaesu/legacy/emulator.js';
import { type LegacyProfile, legacyProfileSchema } from './yaesu/legacy/profile.js';
import { createNewcatEmulator } from './yaesu/newcat/emulator.js';
import { type NewcatProfile, newcatProfileSchema } from './yaesu/newcat/profile.js';

/** Each family's profile type, by the name a profile's `family:` key gives. */
interface ProfileOfFamily {
  kenwood: KenwoodProfile;
  icom: IcomProfile;
  // Yaesu is two families: the `;`-terminated newcat ASCII and the older 5-byte binary CAT.
  yaesu_newcat: NewcatProfile;
  yaesu_legacy: LegacyProfile;
}

export type FamilyName = keyof ProfileOfFamily;
export type Profile = ProfileOfFamily[FamilyName];

/** A protocol family: its profile schema and its emulator factory. */
interface Family<P> {
  schema: z.ZodType;
  create(options: EmulatorOptions<P>): Emulator;
}

/**
 * The one registry of protocol families. Adding a family is one entry here (and one line above);
 * adding a model of a known family is a YAML file in config/rigs/.
 */
export const FAMILIES: { readonly [F in FamilyName]: Family<ProfileOfFamily[F]> } = {
  kenwood: { schema: kenwoodProfileSchema, create: createKenwoodEmulator },
  icom: { schema: icomProfileSchema, create: createIcomEmulator },
  yaesu_newcat: { schema: newcatProfileSchema, create: createNewcatEmulator },
  yaesu_legacy: { schema: legacyProfileSchema, create: createLegacyEmulator },
};

function isFamilyName(name: string): name is FamilyName {
  return Object.hasOwn(FAMILIES, name);
}

export function familySchema(name: string): z.ZodType | undefined {
  return isFamilyName(name) ? FAMILIES[name].schema : undefined;
}

/** The emulator for a port, from the family its profile names. */
export function createEmulator(profile: Profile, options: EmulatorOptions<Profile>): Emulator {
  return createFor(profile, options);
}

/** `profile.family` and the profile's type travel together (a correlated union), so no cast is needed. */
function createFor<F extends FamilyName>(
  profile: ProfileOfFamily[F] & { family: F },
  options: EmulatorOptions<Profile>,
): Emulator {
  const family: Family<ProfileOfFamily[F]> = FAMILIES[profile.family];
  return family.create({ ...options, profile });
}
