import type { Logger } from 'pino';
import type { LinePort, ModemOutputs } from '../ports/dext-port.js';
import type { PortRig } from './port-rig.js';

/**
 * RTS/DTR PTT (config `ports.<name>.ptt.line`, dext ports only): the client raising the line keys the
 * radio through the port's PortRig exactly as a CAT "TX" would — the same readonly/allow policy, one
 * transmitting port at a time, the same watchdog — and the line falling unkeys like a CAT "RX". HUPCL
 * dropping both lines as the client closes is such a fall, so it releases.
 *
 * Edges, not levels: the level a client opens the port with never keys (macOS raises DTR and RTS on
 * every open, before Hamlib or WSJT-X lowers its PTT line), and a fall only unkeys what a rise of this
 * line keyed, so a stray fall never cuts off another port's transmission (after the watchdog has
 * released, the fall may send one harmless extra unkey). Returns a function that detaches it.
 */
export function attachLinePtt(
  port: LinePort,
  rig: Pick<PortRig, 'setPtt' | 'portName'>,
  line: keyof ModemOutputs,
  logger?: Logger,
): () => void {
  let open = port.clientOpen;
  let level = open && port.lines()[line];
  let keyed = false;

  const onClient = (isOpen: boolean) => {
    open = isOpen;
    level = isOpen && port.lines()[line];
    // A close without the line dropping is left to the port's release_on_close (PortRig.clientClosed).
    keyed = false;
  };
  const onLines = (lines: ModemOutputs) => {
    if (!open || lines[line] === level) return;
    level = lines[line];
    if (level) {
      keyed = rig.setPtt(true) === 'accepted';
      logger?.info(
        { port: rig.portName, line, keyed },
        keyed ? 'PTT on from the line' : 'PTT from the line refused',
      );
    } else if (keyed) {
      keyed = false;
      rig.setPtt(false);
      logger?.info({ port: rig.portName, line }, 'PTT off from the line');
    }
  };
  port.on('client', onClient);
  port.on('lines', onLines);
  return () => {
    port.off('client', onClient);
    port.off('lines', onLines);
  };
}
