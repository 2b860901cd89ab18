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

/**
 * The protocol families: each a profile schema and an emulator factory. Adding a family (icom, yaesu)
 * is one entry here; adding a model of a known family is a YAML file in config/rigs/.
 */
export const FAMILIES = {
  kenwood: { schema: kenwoodProfileSchema, create: createKenwoodEmulator },
  icom: { schema: icomProfileSchema, create: createIcomEmulator },
  // Yaesu is two families: the `;`-terminated newcat ASCII and the older 5-byte binary CAT.
  yaesu_newcat: { schema: newcatProfileSchema, create: createNewcatEmulator },
  yaesu_legacy: { schema: legacyProfileSchema, create: createLegacyEmulator },
} as const;

export type FamilyName = keyof typeof FAMILIES;
export type Profile = KenwoodProfile | IcomProfile | NewcatProfile | LegacyProfile;

export function familySchema(name: string): z.ZodType | undefined {
  return (FAMILIES as Record<string, { schema: z.ZodType }>)[name]?.schema;
}

/** The emulator for a port, dispatched on the profile's family. */
export function createEmulator(profile: Profile, options: EmulatorOptions<Profile>): Emulator {
  switch (profile.family) {
    case 'kenwood':
      return FAMILIES.kenwood.create(options as EmulatorOptions<KenwoodProfile>);
    case 'icom':
      return FAMILIES.icom.create(options as EmulatorOptions<IcomProfile>);
    case 'yaesu_newcat':
      return FAMILIES.yaesu_newcat.create(options as EmulatorOptions<NewcatProfile>);
    case 'yaesu_legacy':
      return FAMILIES.yaesu_legacy.create(options as EmulatorOptions<LegacyProfile>);
  }
}
