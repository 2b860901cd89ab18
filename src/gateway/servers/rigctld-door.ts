import type { Logger } from 'pino';
import type { ServerConfig } from '../doors-config.js';
import type { SharedRig } from '../rig/shared-rig.js';
import { NetworkDoor } from './network-door.js';
import { RigctldSession } from './rigctld/session.js';

/**
 * Hamlib's NET client (netrigctl) gives up on an answer after 500 ms (its caps: timeout 500 mS); a
 * first answer may wait for a fresh read of the radio that long, less 50 ms.
 */
const NETRIGCTL_FIRST_REPLY_WAIT_MS = 450;

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
