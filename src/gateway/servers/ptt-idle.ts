import type { Logger } from 'pino';
import type { VirtualPort } from '../ports/virtual-port.js';
import type { PortRig } from '../rig/port-rig.js';
import type { SharedRig } from '../rig/shared-rig.js';

/**
 * A network client keyed and then silent for `idleSeconds` is unkeyed; its connection stays (issue 14:
 * `ptt_idle_s`). A pty's client going away is seen at once; a network client whose machine sleeps, or
 * whose link drops without a FIN, is not, and a transmitter must not wait for TCP keepalive to notice.
 * Any bytes from the client count as life: WSJT-X and fldigi poll all through a transmission.
 */
export function watchPttIdle(
  port: VirtualPort,
  rig: PortRig,
  shared: SharedRig,
  idleSeconds: number,
  logger: Logger,
): () => void {
  if (idleSeconds <= 0) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (shared.pttHolder !== rig) return;
      logger.warn({ port: rig.portName, idleSeconds }, 'keyed network client silent: PTT released');
      void shared.releasePtt(`network client ${rig.portName} silent for ${idleSeconds} s while keyed`);
    }, idleSeconds * 1000);
    timer.unref();
  };
  port.on('data', arm);
  return () => clearTimeout(timer);
}
