import { afterAll, beforeAll } from 'vitest';
import { type RadioSide, rigctldSide } from '../../contract/radio-side.js';
import { GatewayHarness } from '../../support/gateway-harness.js';
import { Rigctld } from '../../support/rigctld.js';
import { type EmulatedRig, loadRig } from './profiles.js';
import { WireTrace } from './wire-trace.js';
import { XDisplay } from './x-display.js';

/** What every real-program suite runs on: a real rigctld, a gateway with a port per model, one Xvfb. */
export interface ProgramBench {
  rigctld: Rigctld;
  harness: GatewayHarness;
  x: XDisplay;
  radio: RadioSide;
  trace: WireTrace;
}

/**
 * Registers the suite's set-up and tear-down and returns the bench (filled in by beforeAll), the
 * profiles by id, and every frequency the run put on the radio: a program showing one of these later
 * saw a stale answer.
 */
export function useProgramBench(models: readonly string[]): {
  env: ProgramBench;
  rigs: Map<string, EmulatedRig>;
  history: Set<number>;
} {
  const env = {} as ProgramBench;
  const rigs = new Map<string, EmulatedRig>();
  const history = new Set<number>();
  beforeAll(async () => {
    for (const id of models) rigs.set(id, loadRig(id));
    env.rigctld = await Rigctld.start();
    env.radio = rigctldSide(env.rigctld.port);
    env.harness = await GatewayHarness.start(
      { radio: { type: 'rigctld', address: `127.0.0.1:${env.rigctld.port}` } },
      models.map((id) => ({
        name: id,
        rig: id,
        backend: 'radio',
        // A model Hamlib reaches only over the network is served on the port's CAT over TCP door.
        extra: rigs.get(id)?.link === 'tcp' ? { transport: 'tcp', tcp: '127.0.0.1:0' } : undefined,
      })),
    );
    env.trace = new WireTrace(env.harness, [...models]);
    env.x = await XDisplay.start();
  }, 60_000);
  afterAll(async () => {
    await env.harness?.stop();
    await env.rigctld?.kill();
    await env.x?.stop();
  }, 30_000);
  return { env, rigs, history };
}
