import { expect } from 'vitest';
import type { RigState } from '../../../src/model/rig.js';
import type { FrameEvent } from '../../../src/rigs/emulator.js';
import { createEmulator } from '../../../src/rigs/families.js';
import type { KenwoodProfile } from '../../../src/rigs/kenwood/profile.js';
import { loadProfile } from '../../../src/rigs/profiles.js';
import { FakeRig } from '../../support/fake-rig.js';

/** One emulated radio on a fake rig, for golden tests that read like the protocol. */
export function radio(profileName: string, initial: Partial<RigState> = {}, autoInfo = false) {
  // The Profile union has other families too; these tests only load Kenwood-family profiles.
  const profile = loadProfile(profileName) as KenwoodProfile;
  const rig = new FakeRig(initial);
  const written: string[] = [];
  const frames: FrameEvent[] = [];
  const emulator = createEmulator(profile, {
    profile,
    rig,
    write: (bytes) => written.push(Buffer.from(bytes).toString('latin1')),
    onFrame: (e) => frames.push(e),
    port: { autoInfo, echo: false, transceive: false },
  });
  const send = (text: string | Uint8Array): string => {
    written.length = 0;
    emulator.receive(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
    return written.join('');
  };
  return {
    profile,
    rig,
    emulator,
    frames,
    written,
    send,
    /** `expectReply('FA;', 'FA00014074000;')`: what the radio writes back for exactly these bytes. */
    expectReply(request: string, reply: string) {
      expect(send(request), `reply to ${request}`).toBe(reply);
    },
  };
}
