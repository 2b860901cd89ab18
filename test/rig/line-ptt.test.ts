/**
 * RTS/DTR PTT (src/gateway/rig/line-ptt.ts) on a fake line port and a real SharedRig: a line keys and
 * unkeys through the same owner, policy and watchdog rules as CAT PTT, and HUPCL at close releases.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinePort, ModemOutputs } from '../../src/gateway/ports/dext-port.js';
import type { LineSettings } from '../../src/gateway/ports/virtual-port.js';
import { attachLinePtt } from '../../src/gateway/rig/line-ptt.js';
import type { SharedRig } from '../../src/gateway/rig/shared-rig.js';
import { settled, sleep, until, useFakeTime } from '../support/fake-time.js';
import { OPEN_POLICY, type ScriptedBackend, startScriptedRig } from '../support/scripted-backend.js';

/** What a DextPort reports of the app: its opens and closes and its RTS/DTR. */
class FakeLinePort extends EventEmitter implements LinePort {
  readonly link = '/tmp/fake';
  readonly path = '/dev/cu.catbridge-fake';
  clientOpen = false;
  private state: ModemOutputs = { rts: false, dtr: false };

  lines(): ModemOutputs {
    return { ...this.state };
  }
  lineSettings(): LineSettings {
    return { baud: 9600, dataBits: 8, parity: 'none', stopBits: 1 };
  }
  write(): void {}
  async close(): Promise<void> {}

  /** The app opens: macOS raises DTR and RTS with it. */
  appOpen(): void {
    this.state = { rts: true, dtr: true };
    this.clientOpen = true;
    this.emit('client', true);
    this.emit('lines', this.lines());
  }
  set(lines: Partial<ModemOutputs>): void {
    this.state = { ...this.state, ...lines };
    this.emit('lines', this.lines());
  }
  /** The app closes; with HUPCL both lines drop first. */
  appClose(hupcl = true): void {
    if (hupcl) this.set({ rts: false, dtr: false });
    this.clientOpen = false;
    this.emit('client', false);
  }
}

const policy = OPEN_POLICY;

describe('line-keyed PTT', () => {
  let shared: SharedRig;
  let backend: ScriptedBackend;
  const make = () => {
    ({ rig: shared, backend } = startScriptedRig());
  };
  beforeEach(() => {
    useFakeTime();
  });
  afterEach(async () => {
    if (shared) await settled(shared.close(200));
    vi.useRealTimers();
  });
  const pttCalls = () => backend.calls.filter((c) => c.startsWith('setPtt'));

  it('keys on a rising edge and unkeys on the fall, never on the level the port opens with', async () => {
    make();
    const port = new FakeLinePort();
    const rig = shared.portRig('ft8', policy);
    attachLinePtt(port, rig, 'rts');
    port.appOpen(); // RTS high at open: not a key-up
    port.set({ rts: false }); // Hamlib lowers its PTT line: nothing was keyed, nothing to unkey
    await sleep(100);
    expect(pttCalls()).toEqual([]);
    port.set({ dtr: false }); // the other line is not ours
    port.set({ rts: true });
    await until(() => backend.radio.ptt);
    expect(shared.pttHolder).toBe(rig);
    port.set({ rts: false });
    await until(() => !backend.radio.ptt);
    expect(pttCalls()).toEqual(['setPtt true', 'setPtt false']);
  });

  it('releases when HUPCL drops the line as the client closes', async () => {
    make();
    const port = new FakeLinePort();
    const rig = shared.portRig('ft8', { ...policy, releaseOnClose: false });
    attachLinePtt(port, rig, 'dtr');
    port.appOpen();
    port.set({ dtr: false });
    port.set({ dtr: true });
    await until(() => backend.radio.ptt);
    port.appClose(true);
    await until(() => !backend.radio.ptt);
    expect(shared.pttHolder).toBeNull();
  });

  it('obeys the owner rule: a line cannot key over another port, nor its fall unkey it', async () => {
    make();
    const port = new FakeLinePort();
    const lineRig = shared.portRig('ft8', policy);
    const catRig = shared.portRig('logger', policy);
    attachLinePtt(port, lineRig, 'rts');
    port.appOpen();
    port.set({ rts: false });
    expect(catRig.setPtt(true)).toBe('accepted');
    await until(() => backend.radio.ptt);
    port.set({ rts: true }); // refused: logger transmits
    port.set({ rts: false });
    await sleep(100);
    expect(backend.radio.ptt).toBe(true);
    expect(shared.pttHolder).toBe(catRig);
    expect(pttCalls()).toEqual(['setPtt true']);
  });

  it('is stopped by the watchdog and does not re-key while the line stays up', async () => {
    make();
    const port = new FakeLinePort();
    const rig = shared.portRig('ft8', { ...policy, maxPttSeconds: 0.2 });
    attachLinePtt(port, rig, 'rts');
    port.appOpen();
    port.set({ rts: false });
    port.set({ rts: true });
    await until(() => backend.radio.ptt);
    await until(() => !backend.radio.ptt, 1000);
    port.set({ rts: true }); // no edge, no key
    await sleep(100);
    expect(backend.radio.ptt).toBe(false);
    port.set({ rts: false }); // the fall after a release sends one harmless unkey at most
    port.set({ rts: true }); // a new edge keys again
    await until(() => backend.radio.ptt);
  });

  it('refuses a line key-up from a read-only port or one not allowed to transmit', async () => {
    make();
    for (const p of [
      { ...policy, readonly: true },
      { ...policy, allowPtt: false },
    ]) {
      const port = new FakeLinePort();
      attachLinePtt(port, shared.portRig('ro', p), 'rts');
      port.appOpen();
      port.set({ rts: false });
      port.set({ rts: true });
    }
    await sleep(100);
    expect(pttCalls()).toEqual([]);
  });

  it('detaches', async () => {
    make();
    const port = new FakeLinePort();
    const detach = attachLinePtt(port, shared.portRig('ft8', policy), 'rts');
    port.appOpen();
    port.set({ rts: false });
    detach();
    port.set({ rts: true });
    await sleep(100);
    expect(pttCalls()).toEqual([]);
  });
});
