import { EventEmitter } from 'node:events';
import pino from 'pino';
import type { Backend, ReadOptions } from '../../src/gateway/backends/backend.js';
import { ALL_READ_GROUPS, BackendError } from '../../src/gateway/backends/backend.js';
import type { PortPolicy } from '../../src/gateway/rig/port-rig.js';
import { SharedRig, type SharedRigOptions } from '../../src/gateway/rig/shared-rig.js';
import { DEFAULT_STATE, type Mode, type ReadGroup, type RigState, type Vfo } from '../../src/model/rig.js';

/**
 * An in-memory Backend for SharedRig unit tests: records every call, answers after `latencyMs`,
 * can fail writes and drop its "connection". Never the only proof of a feature (the contract tests
 * drive a real rigctld).
 */
export class ScriptedBackend extends EventEmitter implements Backend {
  readonly type = 'sim' as const;
  readonly address = 'scripted';
  connected = true;
  radio: RigState = { ...DEFAULT_STATE };
  calls: string[] = [];
  latencyMs = 5;
  failWrites = false;
  /** Reads fail as rigctld's do when its radio does not answer (RPRT -5). */
  failReads = false;

  async connect(): Promise<void> {}
  async close(): Promise<void> {
    this.connected = false;
  }

  private async answer<T>(call: string, fn: () => T): Promise<T> {
    if (call !== 'read') this.calls.push(call);
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (!this.connected) throw new BackendError('not connected');
    if (this.failWrites && call !== 'read') throw new BackendError('rejected', -9);
    if (this.failReads && call === 'read') throw new BackendError('radio timed out', -5);
    return fn();
  }

  /** The parts each read asked for, in order. */
  readonly reads: ReadGroup[][] = [];

  read(options: ReadOptions = {}): Promise<RigState> {
    const groups = [...(options.groups ?? ALL_READ_GROUPS)];
    this.reads.push(groups);
    options.onSent?.(performance.now(), groups);
    const snapshot = { ...this.radio };
    return this.answer('read', () => snapshot);
  }
  setFreq(vfo: Vfo, hz: number): Promise<void> {
    return this.answer(`setFreq ${vfo} ${hz}`, () => {
      if (vfo === 'VFOA') this.radio.freqA = hz;
      else this.radio.freqB = hz;
    });
  }
  setMode(vfo: Vfo, mode: Mode, passbandHz: number): Promise<void> {
    return this.answer(`setMode ${vfo} ${mode} ${passbandHz}`, () => {
      if (vfo === 'VFOA') Object.assign(this.radio, { mode, passband: passbandHz });
      else Object.assign(this.radio, { modeB: mode, passbandB: passbandHz });
    });
  }
  selectVfo(vfo: Vfo): Promise<void> {
    return this.answer(`selectVfo ${vfo}`, () => {
      this.radio.vfo = vfo;
    });
  }
  setSplit(on: boolean, txVfo: Vfo): Promise<void> {
    return this.answer(`setSplit ${on} ${txVfo}`, () => {
      Object.assign(this.radio, { split: on, txVfo });
    });
  }
  setPtt(on: boolean): Promise<void> {
    return this.answer(`setPtt ${on}`, () => {
      this.radio.ptt = on;
    });
  }
  setRfPower(level: number): Promise<void> {
    return this.answer(`setRfPower ${level}`, () => {
      this.radio.rfPower = level;
    });
  }

  drop(): void {
    this.connected = false;
    this.emit('disconnected', new Error('dropped by test'));
  }
  restore(): void {
    this.connected = true;
    this.emit('connected');
  }
}

/** A port that may do everything (the defaults of a port's config). */
export const OPEN_POLICY: PortPolicy = {
  readonly: false,
  allowPtt: true,
  maxPttSeconds: 300,
  releaseOnClose: true,
  foreignOff: false,
};

/** A started SharedRig on a ScriptedBackend, polling fast, for unit tests. */
export function startScriptedRig(overrides: Partial<SharedRigOptions> = {}): {
  rig: SharedRig;
  backend: ScriptedBackend;
} {
  const backend = new ScriptedBackend();
  const rig = new SharedRig(backend, {
    name: 'test',
    logger: pino({ level: 'silent' }),
    pollMs: 50,
    settleMs: 150,
    graceMs: 500,
    ...overrides,
  });
  rig.start();
  return { rig, backend };
}
