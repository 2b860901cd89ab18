import type { Logger } from 'pino';
import type { ServerConfig } from '../doors-config.js';
import type { SharedRig } from '../rig/shared-rig.js';
import { NetworkDoor } from './network-door.js';
import { RigctldSession } from './rigctld/session.js';

/**
 * Hamlib 4.5.4's NET client (netrigctl 20230106.0) waits 10 s for an answer (its caps: timeout 10000,
 * retry 5; measured: 10.0 s per unanswered line) and does not resend its open handshake; a first
 * answer may wait for a fresh read of the radio that long, less 50 ms. Shorter, a slow radio (a read
 * over 450 ms, e.g. two 300 ms round trips) had the door drop `\chk_vfo`: rigctl -m 2 then waited
 * 10 s per line, its open failed after 20 s, and when it got through Hamlib's open wrote `V VFOA`.
 */
const NETRIGCTL_FIRST_REPLY_WAIT_MS = 9_950;

/** The rigctld-compatible server (issue 14): Hamlib's NET protocol on a SharedRig. */
export function openRigctldDoor(
  config: ServerConfig,
  shared: SharedRig,
  logger: Logger,
): Promise<NetworkDoor> {
  return NetworkDoor.open(
    config,
    shared,
    ({ rig, write, onFrame, quit }) =>
      new RigctldSession({
        rig,
        write,
        onFrame,
        quit,
        vfoMode: config.vfo_mode,
        ranges: () => shared.backend.frequencyRanges?.() ?? null,
      }),
    logger,
    NETRIGCTL_FIRST_REPLY_WAIT_MS,
  );
}
