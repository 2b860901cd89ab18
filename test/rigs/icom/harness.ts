import { expect } from 'vitest';
import type { RigState } from '../../../src/model/rig.js';
import type { FrameEvent, PortProtocolOptions } from '../../../src/rigs/emulator.js';
import { createEmulator } from '../../../src/rigs/families.js';
import type { IcomProfile } from '../../../src/rigs/icom/profile.js';
import { loadProfile } from '../../../src/rigs/profiles.js';
import { FakeRig } from '../../support/fake-rig.js';

/** `"FE FE 94 E0 03 FD"` → bytes; spaces optional. */
export function bytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** Bytes → `"FE FE E0 94 FB FD"`. */
export function hexOf(data: Uint8Array | number[]): string {
  return Array.from(data, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

/**
 * One emulated Icom radio on a fake rig, for golden tests that read like the CI-V reference:
 * `expectReply('FE FE 94 E0 03 FD', 'FE FE E0 94 03 00 40 07 14 00 FD')`.
 */
export function icom(
  profileName: string,
  initial: Partial<RigState> = {},
  port: Partial<PortProtocolOptions> = {},
) {
  const profile = loadProfile(profileName) as IcomProfile;
  const rig = new FakeRig(initial);
  const written: Uint8Array[] = [];
  const frames: FrameEvent[] = [];
  const emulator = createEmulator(profile, {
    profile,
    rig,
    write: (data) => written.push(Uint8Array.from(data)),
    onFrame: (e) => frames.push(e),
    port: { autoInfo: false, echo: false, transceive: false, ...port },
  });
  const send = (request: string | Uint8Array): string => {
    written.length = 0;
    emulator.receive(typeof request === 'string' ? bytes(request) : request);
    return hexOf(Buffer.concat(written));
  };
  return {
    profile,
    rig,
    emulator,
    frames,
    written,
    send,
    expectReply(request: string, reply: string) {
      expect(send(request), `reply to ${request}`).toBe(hexOf(bytes(reply)));
    },
  };
}
