import type { Gateway } from '../gateway.js';
import type { PortSession } from '../ports/port-session.js';
import type { SharedRig } from '../rig/shared-rig.js';

/**
 * What the REST API and the websocket show of the running gateway (README "HTTP API"). Built on demand
 * from the live objects; nothing here is cached, and nothing here touches a port's I/O.
 */

export interface PortStateView {
  vfo: string;
  freqA: number;
  freqB: number;
  mode: string;
  passband: number;
  split: boolean;
  txVfo: string;
  ptt: boolean;
}

export interface ClientView {
  open: boolean;
  baud: number | null;
  dataBits: number | null;
  parity: string | null;
  stopBits: number | null;
}

export interface PortView {
  name: string;
  rig: string;
  link: string;
  path: string;
  backend: string;
  client: ClientView;
  state: PortStateView;
  stats: { commands: number; unknownCommands: number; errors: number; lastCommandAt: string | null };
}

export interface BackendView {
  name: string;
  type: string;
  address: string;
  connected: boolean;
  /** The backend's round trip for one refresh of the radio's state, ms (null before the first). */
  latencyMs: number | null;
  requests: number;
  failures: number;
  reconnects: number;
  lastError: string | null;
  pttOwner: string | null;
  /** The radio was found transmitting at start, keyed by someone other than catbridge (left alone). */
  foreignPtt: boolean;
}

/** The radio's state as a port object shows it: the backend's shared state, canonical names, Hz. */
export function stateView(rig: SharedRig): PortStateView {
  const s = rig.radioState();
  return {
    vfo: s.vfo,
    freqA: s.freqA,
    freqB: s.freqB,
    mode: s.mode,
    passband: s.passband,
    split: s.split,
    txVfo: s.txVfo,
    ptt: s.ptt,
  };
}

export function clientView(session: PortSession): ClientView {
  const open = session.port.clientOpen;
  try {
    const line = session.port.lineSettings();
    return { open, baud: line.baud, dataBits: line.dataBits, parity: line.parity, stopBits: line.stopBits };
  } catch {
    // The port is closing: its settings are gone with it.
    return { open, baud: null, dataBits: null, parity: null, stopBits: null };
  }
}

export function portView(gateway: Gateway, session: PortSession): PortView {
  const config = gateway.config.ports.find((p) => p.name === session.name)!;
  const rig = gateway.rigs.get(config.backend)!;
  const { commands, unknownCommands, errors, lastCommandAt } = session.stats;
  return {
    name: session.name,
    rig: config.rigName,
    link: session.port.link,
    path: session.port.path,
    backend: config.backend,
    client: clientView(session),
    state: stateView(rig),
    stats: { commands, unknownCommands, errors, lastCommandAt },
  };
}

export function backendView(name: string, rig: SharedRig): BackendView {
  const status = rig.status();
  return {
    name,
    type: rig.backend.type,
    address: rig.backend.address,
    connected: status.connected,
    latencyMs: status.lastReadMs === null ? null : round3(status.lastReadMs),
    requests: status.reads + status.readFailures + status.writes,
    failures: status.readFailures + status.writeFailures,
    reconnects: status.reconnects,
    lastError: status.lastError,
    pttOwner: status.pttOwner,
    foreignPtt: status.foreignPtt,
  };
}

export function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The port that carries a name, if any. */
export function findPort(gateway: Gateway, name: string): PortSession | undefined {
  return gateway.ports.find((p) => p.name === name);
}
