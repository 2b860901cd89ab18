import { expect } from 'vitest';
import type { RigState } from '../../../src/model/rig.js';
import type { FrameEvent } from '../../../src/rigs/emulator.js';
import { createEmulator } from '../../../src/rigs/families.js';
import { loadProfile } from '../../../src/rigs/profiles.js';
import type { LegacyProfile } from '../../../src/rigs/yaesu/legacy/profile.js';
import type { NewcatProfile } from '../../../src/rigs/yaesu/newcat/profile.js';
import { FakeRig } from '../../support/fake-rig.js';

function wire<P extends NewcatProfile | LegacyProfile>(
  profile: P,
  initial: Partial<RigState>,
  autoInfo: boolean,
) {
  const rig = new FakeRig(initial);
  const written: Uint8Array[] = [];
  const frames: FrameEvent[] = [];
  const emulator = createEmulator(profile, {
    profile,
    rig,
    write: (bytes) => written.push(Uint8Array.from(bytes)),
    onFrame: (e) => frames.push(e),
    port: { autoInfo, echo: false, transceive: false },
  });
  return { profile, rig, emulator, frames, written };
}

/** One emulated newcat radio on a fake rig, for golden tests that read like the protocol. */
export function newcat(profileName: string, initial: Partial<RigState> = {}, autoInfo = false) {
  const parts = wire(loadProfile(profileName) as NewcatProfile, initial, autoInfo);
  const send = (text: string | Uint8Array): string => {
    parts.written.length = 0;
    parts.emulator.receive(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
    return parts.written.map((b) => Buffer.from(b).toString('latin1')).join('');
  };
  return {
    ...parts,
    send,
    /** `expectReply('FA;', 'FA014074000;')`: what the radio writes back for exactly these bytes. */
    expectReply(request: string, reply: string) {
      expect(send(request), `reply to ${request}`).toBe(reply);
    },
  };
}

/** `'00 00 00 00 03'` → bytes; `[0, 0, 0, 0, 3]` as is. */
export function bytes(frame: string | number[]): Uint8Array {
  if (Array.isArray(frame)) return Uint8Array.from(frame);
  const clean = frame.trim();
  return clean ? Uint8Array.from(clean.split(/\s+/), (h) => Number.parseInt(h, 16)) : new Uint8Array(0);
}

export function hex(data: Uint8Array): string {
  return Array.from(data, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** One emulated 5-byte CAT radio on a fake rig; frames and replies written in hex as in the captures. */
export function legacy(profileOrName: string | LegacyProfile, initial: Partial<RigState> = {}) {
  const profile =
    typeof profileOrName === 'string' ? (loadProfile(profileOrName) as LegacyProfile) : profileOrName;
  const parts = wire(profile, initial, false);
  /** Sends bytes (read at `readAtMs`, if given); returns the reply in hex. */
  const send = (frame: string | number[] | Uint8Array, readAtMs?: number): string => {
    parts.written.length = 0;
    parts.emulator.receive(frame instanceof Uint8Array ? frame : bytes(frame), readAtMs);
    return hex(Uint8Array.from(parts.written.flatMap((b) => Array.from(b))));
  };
  return {
    ...parts,
    send,
    /** `expectReply('00 00 00 00 03', '01 40 74 00 01')`. */
    expectReply(request: string, reply: string) {
      expect(send(request), `reply to ${request}`).toBe(reply);
    },
  };
}
