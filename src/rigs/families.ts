import type { z } from 'zod';
import type { Emulator, EmulatorOptions } from './emulator.js';
import { createIcomEmulator } from './icom/emulator.js';
import { type IcomProfile, icomProfileSchema } from './icom/profile.js';
import { createKenwoodEmulator } from './kenwood/emulator.js';
import { type KenwoodProfile, kenwoodProfileSchema } from './kenwood/profile.js';

/**
 * The protocol families: each a profile schema and an emulator factory. Adding a family (icom, yaesu)
 * is one entry here; adding a model of a known family is a YAML file in config/rigs/.
 */
export const FAMILIES = {
  kenwood: { schema: kenwoodProfileSchema, create: createKenwoodEmulator },
  icom: { schema: icomProfileSchema, create: createIcomEmulator },
} as const;

export type FamilyName = keyof typeof FAMILIES;
export type Profile = KenwoodProfile | IcomProfile;

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
  }
}
