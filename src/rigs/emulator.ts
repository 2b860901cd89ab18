import type { Rig } from '../model/rig.js';
import type { Dropped } from './framer.js';

/** What an emulator tells its port about each frame, for stats and the decoded trace. */
export interface FrameEvent {
  /** The frame as received (for Kenwood including the `;`). */
  request: Uint8Array;
  /** What the emulator wrote back for it; empty when the radio stays silent (a Kenwood set). */
  reply: Uint8Array;
  /**
   * query: answered from state; set: a write to the rig (accepted or refused);
   * unknown: a command this radio does not have; malformed: a known command with bad arguments;
   * overflow: bytes dropped because no terminator came within the frame length cap;
   * resync: a partial fixed-length frame dropped because the next byte came after an inter-byte gap
   * (Yaesu 5-byte CAT: one lost byte must not misalign the session forever; counted in PortStats);
   * unavailable: answered with the dialect's error because the radio is unreachable past the grace period.
   */
  kind: 'query' | 'set' | 'unknown' | 'malformed' | 'overflow' | 'resync' | 'unavailable';
  /** Short human meaning ("get VFO A frequency"). */
  meaning: string;
}

export interface EmulatorOptions<P> {
  profile: P;
  rig: Rig;
  /** Writes reply bytes to the client. */
  write(bytes: Uint8Array): void;
  /** Per-port options from the gateway config. */
  port: PortProtocolOptions;
  onFrame?(event: FrameEvent): void;
}

/** The protocol options of one port (DESIGN.md config: ports.<name>). */
export interface PortProtocolOptions {
  /** Kenwood AI1/AI2 honoured (unsolicited IF on changes); false answers AI0 and never sends unsolicited. */
  autoInfo: boolean;
  /** Icom CI-V address override. */
  civAddress?: number;
  /** Icom USB echo. */
  echo: boolean;
  /** Icom transceive. */
  transceive: boolean;
}

/** One per port: a family's framer + command table, configured by a profile. Pure: no I/O but `write`. */
export interface Emulator {
  /**
   * Answers even while the radio behind has never been reached. A serial radio that is switched off is
   * silent, so port emulators leave this unset; a network protocol's client waits for every answer
   * (rigctld's `RPRT -6`), so a network door's protocol sets it.
   */
  readonly answersWhileRadioUnknown?: boolean;
  /**
   * `readAtMs`: when the port read these bytes (process.hrtime() clock, ms), for protocols framed by
   * inter-byte gaps (Yaesu 5-byte CAT); the others ignore it. Absent: no timing is known.
   */
  receive(bytes: Uint8Array, readAtMs?: number): void;
  /** The client closed the port: forget per-client protocol state (half frames, AI mode, K2/K3 mode). */
  reset(): void;
  /**
   * The port dropped bytes of a client that is still there (their answer could not be read fresh within
   * the client's timeout; PortSession's hold): forget only the half-read frame they may leave, never what
   * the client has set up (AI mode, K2/K3 mode, rigctld's VFO mode). The client retries the command; a
   * real radio or rigctld would not have forgotten its settings either.
   */
  dropInput(): void;
  /**
   * The rig's state changed (another port, the radio itself). Emulators with unsolicited output
   * (Kenwood AI, Icom transceive) send it here when the client asked for it; others do nothing.
   */
  stateChanged(): void;
}

/** The frame event for bytes a framer dropped (counted in PortStats as overflows or resyncs). */
export function droppedEvent(dropped: Dropped): FrameEvent {
  const shown = Array.from(dropped.bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return {
    request: dropped.bytes,
    reply: new Uint8Array(0),
    kind: dropped.kind,
    meaning: `${dropped.bytes.length} byte(s) dropped: ${dropped.why} (${shown}${dropped.bytes.length > 16 ? ' …' : ''})`,
  };
}
