import type { Gateway } from '../gateway.js';
import type { PortSession } from '../ports/port-session.js';
import { type PortHolder, portHolders } from '../ports/pty-holder.js';
import type { SharedRig } from '../rig/shared-rig.js';
import type { DoorClient, NetworkDoor } from '../servers/network-door.js';
import { TcpCatPort } from '../servers/tcp-cat-port.js';

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
  /** The programs that have the port open, where the OS tells (Linux: the pty's holders). */
  programs: PortHolder[];
  /** A network client's address (`127.0.0.1:50514`), for a port on TCP. */
  remote: string | null;
}

export interface StatsView {
  commands: number;
  unknownCommands: number;
  errors: number;
  lastCommandAt: string | null;
}

/** A port's CAT-over-TCP door (`ports.<name>.tcp`). */
export interface TcpDoorView {
  listen: string;
  /** The connected client's address, or null. */
  remote: string | null;
  stats: StatsView;
}

/** One client of a network server. */
export interface NetworkClientView {
  name: string;
  remote: string;
  connectedAt: string;
  /** This client holds the radio's PTT. */
  transmitting: boolean;
  stats: StatsView;
}

export interface ServerView {
  name: string;
  type: string;
  listen: string;
  backend: string;
  clients: NetworkClientView[];
}

export interface PortView {
  name: string;
  rig: string;
  link: string;
  path: string;
  backend: string;
  client: ClientView;
  state: PortStateView;
  stats: StatsView;
  /** The port's CAT-over-TCP door, when it has one beside its pty. */
  tcp: TcpDoorView | null;
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
  const remote = session.port instanceof TcpCatPort ? session.port.remote : null;
  const programs = open && !remote ? portHolders(session.port.path) : [];
  try {
    const line = session.port.lineSettings();
    return {
      open,
      baud: line.baud,
      dataBits: line.dataBits,
      parity: line.parity,
      stopBits: line.stopBits,
      programs,
      remote,
    };
  } catch {
    // The port is closing (its settings are gone with it), or it is a socket, which has none.
    return { open, baud: null, dataBits: null, parity: null, stopBits: null, programs, remote };
  }
}

function statsView(session: PortSession): StatsView {
  const { commands, unknownCommands, errors, lastCommandAt } = session.stats;
  return { commands, unknownCommands, errors, lastCommandAt };
}

function tcpDoorView(gateway: Gateway, portName: string): TcpDoorView | null {
  const door = gateway.tcpDoors.find((s) => s.name === portName);
  if (!door || !(door.port instanceof TcpCatPort)) return null;
  return { listen: door.port.link, remote: door.port.remote, stats: statsView(door) };
}

export function networkClientView(
  gateway: Gateway,
  door: NetworkDoor,
  client: DoorClient,
): NetworkClientView {
  const rig = gateway.rigs.get(door.config.backend);
  return {
    name: client.name,
    remote: client.remote,
    connectedAt: client.connectedAt,
    transmitting: rig?.pttHolder === client.session.rig,
    stats: statsView(client.session),
  };
}

export function serverView(gateway: Gateway, door: NetworkDoor): ServerView {
  return {
    name: door.config.name,
    type: door.config.type,
    listen: door.address,
    backend: door.config.backend,
    clients: [...door.clients].map((client) => networkClientView(gateway, door, client)),
  };
}

export function portView(gateway: Gateway, session: PortSession): PortView {
  const config = gateway.config.ports.find((p) => p.name === session.name)!;
  const rig = gateway.rigs.get(config.backend)!;
  return {
    name: session.name,
    rig: config.rigName,
    link: session.port.link,
    path: session.port.path,
    backend: config.backend,
    client: clientView(session),
    state: stateView(rig),
    stats: statsView(session),
    tcp: tcpDoorView(gateway, session.name),
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
