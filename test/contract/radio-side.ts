import { afterAll, beforeAll } from 'vitest';
import type { SimBackend } from '../../src/gateway/backends/sim-backend.js';
import type { Mode, Vfo } from '../../src/model/rig.js';
import { GatewayHarness, type HarnessPort } from '../support/gateway-harness.js';
import { Rigctld, rigctlCmd, rigctlReplies } from '../support/rigctld.js';

/** What the radio behind the gateway holds, read and set behind the gateway's back. */
export interface RadioSide {
  readonly kind: 'rigctld' | 'sim';
  freq(vfo: Vfo): Promise<number>;
  mode(vfo: Vfo): Promise<{ mode: string; passband: number }>;
  ptt(): Promise<boolean>;
  split(): Promise<{ on: boolean; txVfo: string }>;
  vfo(): Promise<Vfo>;
  /** Someone turning the dial at the radio. */
  setFreqA(hz: number): Promise<void>;
  /** VFO B set at the radio, without moving the radio's VFO. */
  setFreqB(hz: number): Promise<void>;
}

const VFO_NAMES: Record<string, Vfo> = { VFOA: 'VFOA', Main: 'VFOA', VFOB: 'VFOB', Sub: 'VFOB' };

/**
 * The dummy radio behind a real rigctld, read with independent raw connections (never through the
 * backend under test). `\get_vfo_info` reads either VFO without moving the dummy's VFO.
 */
export function rigctldSide(port: number): RadioSide {
  const info = async (vfo: Vfo) => {
    const [values] = await rigctlCmd(port, `\\get_vfo_info ${vfo}`);
    const field = (key: string) =>
      (values ?? []).find((l) => l.startsWith(`${key}: `))?.slice(key.length + 2) ?? '';
    return { freq: Number(field('Freq')), mode: field('Mode'), width: Number(field('Width')) };
  };
  return {
    kind: 'rigctld',
    freq: async (vfo) => (await info(vfo)).freq,
    mode: async (vfo) => {
      const i = await info(vfo);
      return { mode: i.mode, passband: i.width };
    },
    ptt: async () => {
      const [values] = await rigctlCmd(port, 't');
      return (values ?? []).some((l) => /^PTT: [1-3]$/.test(l));
    },
    split: async () => {
      const [values] = await rigctlCmd(port, 's');
      const on = (values ?? []).includes('Split: 1');
      const tx = (values ?? []).find((l) => l.startsWith('TX VFO: '))?.slice(8) ?? '';
      return { on, txVfo: VFO_NAMES[tx] ?? tx };
    },
    vfo: async () => {
      const [values] = await rigctlCmd(port, 'v');
      const name = (values ?? []).find((l) => l.startsWith('VFO: '))?.slice(5) ?? '';
      const vfo = VFO_NAMES[name];
      if (!vfo) throw new Error(`rigctld answered VFO "${name}"`);
      return vfo;
    },
    setFreqA: async (hz) => {
      const [values] = await rigctlCmd(port, 'v');
      const current = (values ?? []).find((l) => l.startsWith('VFO: '))?.slice(5);
      if (current && VFO_NAMES[current] !== 'VFOA') throw new Error('test expects the dummy on VFO A');
      await rigctlCmd(port, `F ${hz}`);
    },
    setFreqB: async (hz) => {
      // VFO-targeted commands on this connection only, so the dummy's selected VFO does not move
      // (rigctld 4.5.4 answers `\set_vfo_opt 1` with RPRT -11 on the dummy yet applies it).
      const [, set] = await rigctlReplies(port, '\\set_vfo_opt 1', `F VFOB ${hz}`);
      if (set?.code !== 0) throw new Error(`rigctld refused F VFOB ${hz}: RPRT ${set?.code}`);
    },
  };
}

/** The built-in simulated radio, read from its own snapshot. */
export function simSide(sim: SimBackend): RadioSide {
  return {
    kind: 'sim',
    freq: async (vfo) => (vfo === 'VFOA' ? sim.snapshot().freqA : sim.snapshot().freqB),
    mode: async (vfo) => {
      const s = sim.snapshot();
      return vfo === 'VFOA'
        ? { mode: s.mode, passband: s.passband }
        : { mode: s.modeB, passband: s.passbandB };
    },
    ptt: async () => sim.snapshot().ptt,
    split: async () => ({ on: sim.snapshot().split, txVfo: sim.snapshot().txVfo }),
    vfo: async () => sim.snapshot().vfo,
    setFreqA: async (hz) => sim.simulateRadioChange({ freqA: hz }),
    setFreqB: async (hz) => sim.simulateRadioChange({ freqB: hz }),
  };
}

export type { Mode };

/**
 * The setup every family's contract suite shares: a real `rigctld -m 1` (or the simulator) behind a
 * gateway with the given ports on one backend named `radio`, and the radio side to check against.
 * Registers its own beforeAll/afterAll; read the fields inside tests.
 */
export function useContractRig(
  kind: 'rigctld' | 'sim',
  ports: () => HarnessPort[],
  /** The config's `servers:` (network doors on the `radio` backend), if any. */
  servers: Record<string, Record<string, unknown>> = {},
) {
  const rig = {} as { harness: GatewayHarness; radio: RadioSide; rigctld?: Rigctld };
  beforeAll(async () => {
    if (kind === 'rigctld') rig.rigctld = await Rigctld.start();
    const backend =
      kind === 'rigctld' ? { type: 'rigctld', address: `127.0.0.1:${rig.rigctld!.port}` } : { type: 'sim' };
    rig.harness = await GatewayHarness.start({ radio: backend }, ports(), servers);
    rig.radio =
      kind === 'rigctld'
        ? rigctldSide(rig.rigctld!.port)
        : simSide(rig.harness.rig('radio').backend as unknown as SimBackend);
  });
  afterAll(async () => {
    await rig.harness?.stop();
    await rig.rigctld?.kill();
  });
  return rig;
}
