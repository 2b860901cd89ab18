import type { Mode, ReadGroup, Rig, RigState, Vfo, VfoMode, WriteResult } from '../../model/rig.js';
import type { FrequencyRange } from '../backends/backend.js';
import { applyField, type Field, type FieldValue, READ_GROUP, readField, sameValue } from './fields.js';
import type { SharedRig } from './shared-rig.js';

/** What a port may do to the radio (config `ports.<name>.readonly` and `ptt:`). */
export interface PortPolicy {
  readonly: boolean;
  allowPtt: boolean;
  /** PTT watchdog: a port keyed longer than this is unkeyed. */
  maxPttSeconds: number;
  /** Release PTT when this port's client closes. */
  releaseOnClose: boolean;
  /** Honour a PTT-off from this port while another port holds PTT. */
  foreignOff: boolean;
  /** The emulated model's ranges: what the radio can tune when its backend does not say (flrig, sim). */
  frequencyRanges?: readonly FrequencyRange[];
}

interface HeldWrite {
  value: FieldValue;
  /** When the write leaves the settle window for the backend. */
  releaseAt: number;
}

/**
 * One port's handle on its SharedRig (the `Rig` its emulator calls). Writes are held for the settle
 * window (DESIGN.md): a write the same port reverts within the window is dropped together with its
 * revert, so a client's probes (Hamlib's VFO B read, split toggles, WSJT-X's +55 Hz resolution test)
 * never move the radio. While held, only this port reads the pending value.
 */
export class PortRig implements Rig {
  private held: HeldWrite[] = [];
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Whether a client has the port open; a PTT-on with nobody there is refused. */
  private attached = true;
  private missedAtOpen = false;
  /** When the settle window was paused (see pauseSettle); null while it runs. */
  private pausedAt: number | null = null;

  constructor(
    private readonly shared: SharedRig,
    readonly portName: string,
    private readonly policy: PortPolicy,
    private readonly settleMs: number,
  ) {}

  // ---- reads (Rig): each names the part of the radio it needs, which is what the poller reads ----

  vfo(): Vfo {
    return this.read('vfo').vfo;
  }

  freq(vfo: Vfo): number {
    return this.read(vfo === 'VFOA' ? 'freqA' : 'freqB').hz;
  }

  mode(vfo: Vfo): Readonly<VfoMode> {
    const { mode, passband } = this.read(vfo === 'VFOA' ? 'modeA' : 'modeB');
    return { mode, passband };
  }

  split(): boolean {
    return this.read('split').on;
  }

  txVfo(): Vfo {
    return this.read('split').txVfo;
  }

  ptt(): boolean {
    return this.read('ptt').on;
  }

  rfPower(): number {
    return this.read('rfPower').level;
  }

  strengthDb(): number {
    if (this.attached) this.shared.noteRead(this, 'strength');
    return this.shared.radioState().strengthDb;
  }

  /**
   * The radio's state with this port's held writes over it, for status views: not a client's read,
   * so it neither counts as demand nor marks a held write read back.
   */
  view(): Readonly<RigState> {
    if (this.held.length === 0) return this.shared.radioState();
    const view = { ...this.shared.radioState() };
    for (const write of this.held) applyField(view, write.value);
    return view;
  }

  /**
   * A client's read of one field: this port's held write if it has one (only this port sees it until
   * it is released), else the radio's.
   */
  private read<F extends Field>(field: F): Extract<FieldValue, { field: F }> {
    // Only a client's reads are demand: an emulator resetting itself after its client left is not one.
    if (this.attached) this.shared.noteRead(this, READ_GROUP[field]);
    const write = this.held.find((w) => w.value.field === field);
    if (!write) return readField(this.shared.radioState(), field) as Extract<FieldValue, { field: F }>;
    return write.value as Extract<FieldValue, { field: F }>;
  }

  /**
   * The port holds its client's bytes (waiting for a fresh read): the settle window stops while it
   * does, since the client's revert of a probe cannot arrive before its held bytes are answered.
   */
  pauseSettle(paused: boolean): void {
    if (paused) {
      this.pausedAt ??= performance.now();
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.pausedAt === null) return;
    const pausedMs = performance.now() - this.pausedAt;
    this.pausedAt = null;
    for (const write of this.held) write.releaseAt += pausedMs;
    this.armTimer();
  }

  /** The parts of the radio this port has held writes in: it reads its own values there. */
  heldGroups(): ReadGroup[] {
    return this.held.map((write) => READ_GROUP[write.value.field]);
  }

  /** The client closed: if this port transmits and releases on close, unkey now. */
  releaseIfOwner(): void {
    if (this.policy.releaseOnClose && this.shared.pttHolder === this) {
      void this.shared.releasePtt(`the client closed port ${this.portName} (ptt.release_on_close)`);
    }
  }

  /** Some of this client's commands at open went unanswered (see clientClosed). */
  noteMissedAtOpen(): void {
    this.missedAtOpen = true;
  }

  /** A client opened (true) or closed (false) the port. */
  setAttached(attached: boolean): void {
    this.attached = attached;
  }

  setFreq(vfo: Vfo, hz: number): WriteResult {
    if (!Number.isFinite(hz) || hz < 0) return 'refused';
    // Outside what the radio behind can tune: refused in the dialect's way, never sent.
    if (!this.shared.tunable(Math.round(hz), this.policy.frequencyRanges)) return 'refused';
    return this.write({ field: vfo === 'VFOA' ? 'freqA' : 'freqB', hz: Math.round(hz) });
  }

  setMode(vfo: Vfo, mode: Mode, passbandHz?: number): WriteResult {
    const field = vfo === 'VFOA' ? 'modeA' : 'modeB';
    const current = readField(this.view(), field);
    const passband = passbandHz ?? (current.field === field ? current.passband : 0);
    return this.write({ field, mode, passband });
  }

  selectVfo(vfo: Vfo): WriteResult {
    return this.write({ field: 'vfo', vfo });
  }

  setSplit(on: boolean, txVfo: Vfo): WriteResult {
    return this.write({ field: 'split', on, txVfo });
  }

  setRfPower(level: number): WriteResult {
    if (!Number.isFinite(level)) return 'refused';
    return this.write({ field: 'rfPower', level: Math.min(1, Math.max(0, level)) });
  }

  online(): boolean {
    // A radio never reached has no state to answer from (ports stay silent then; network doors answer
    // their protocol's error through this).
    return this.shared.online && this.shared.radioKnown;
  }

  setPtt(on: boolean): WriteResult {
    return on ? this.keyUp() : this.keyDown();
  }

  /** Number of this port's writes the backend refused or failed. */
  noteFailure(): void {
    this.failures++;
  }

  /** Sends every held write now, in order (PTT-on, client close, shutdown). */
  flush(): void {
    this.pausedAt = null;
    clearTimeout(this.timer);
    this.timer = undefined;
    const writes = this.held;
    this.held = [];
    for (const write of writes) void this.shared.issue(this, write.value);
  }

  /**
   * The port's client went away (exit and SIGKILL look the same on a pty): its PTT is released and its
   * held writes reach the radio, including one it had read back. Nothing on the wire tells a probe
   * cut short (write, read back, killed before the restore) from a write Hamlib 4.5.4 itself reads
   * back before the program exits: rig_set_vfo reads the frequency after selecting (rig.c), the
   * IC-7600 and Xiegu backends run their open sequence, reads included, as rig_close (ic7600.c and
   * xiegu.c: `.rig_close = icom_rig_open`), and some models' set_mode and set_split read back too; so
   * a one-shot `rigctl F`/`M`/`V`/`S` may end "set, read back, close" (on 13 of the 35 serial models,
   * measured with Hamlib's cache off: `-C cache_timeout=0`).
   * Dropping those ignored a user's explicit command every time, silently; sending them leaves a
   * probe on the radio only when a program dies in the few milliseconds between a probe's read and
   * its restore (a program's own exit comes between Hamlib calls, after the restore), at the value
   * that program itself had put there.
   */
  clientClosed(): void {
    this.attached = false;
    this.shared.forgetReader(this);
    this.releaseIfOwner();
    const desynced = this.missedAtOpen;
    this.missedAtOpen = false;
    // A client some of whose first commands went unanswered (the radio could not be read in time) may
    // have lost track of the VFO: Hamlib's FT-817/857/897 drivers then toggle VFOs (`81`) on the way
    // out. Such a client's unconfirmed VFO change is not taken for an intention.
    if (desynced) this.held = this.held.filter((write) => write.value.field !== 'vfo');
    this.flush();
  }

  stopWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.stopWatchdog();
    this.held = [];
  }

  private write(value: FieldValue): WriteResult {
    if (this.policy.readonly || !this.shared.canWrite()) return 'refused';
    const radioValue = readField(this.shared.radioState(), value.field);
    const index = this.held.findIndex((w) => w.value.field === value.field);
    if (index >= 0) {
      // A revert to what the radio has cancels the held write: neither ever reaches the radio.
      if (sameValue(value, radioValue)) this.held.splice(index, 1);
      else this.held[index]!.value = value;
    } else if (!sameValue(value, radioValue)) {
      this.held.push({ value, releaseAt: performance.now() + this.settleMs });
    }
    this.armTimer();
    return 'accepted';
  }

  private armTimer(): void {
    if (this.timer || this.held.length === 0 || this.pausedAt !== null) return;
    const wait = Math.max(0, this.held[0]!.releaseAt - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.releaseDue();
    }, wait);
  }

  private releaseDue(): void {
    const now = performance.now();
    // Held writes leave in the order they were first made, so the radio sees the client's order.
    while (this.held.length > 0 && this.held[0]!.releaseAt <= now + 1) {
      const write = this.held.shift()!;
      void this.shared.issue(this, write.value);
    }
    this.armTimer();
  }

  private keyUp(): WriteResult {
    if (this.policy.readonly || !this.policy.allowPtt || !this.attached) return 'refused';
    const holder = this.shared.pttHolder;
    if (holder && holder !== this) return 'refused';
    // Keying needs a live backend and a readable radio: never queue a transmit behind an outage.
    if (!this.shared.connected || !this.shared.online) return 'refused';
    const failuresBefore = this.failures;
    this.flush();
    this.shared.setPttOwner(this);
    this.startWatchdog();
    // Checked when its turn comes: the port's earlier writes all went through, and it still owns PTT
    // (a release, the watchdog or a client gone in between makes a queued PTT-on moot).
    void this.shared.issue(
      this,
      { field: 'ptt', on: true },
      () => this.failures === failuresBefore && this.shared.pttHolder === this && this.attached,
    );
    return 'accepted';
  }

  private keyDown(): WriteResult {
    const holder = this.shared.pttHolder;
    if (holder && holder !== this && !this.policy.foreignOff) {
      // Another port is transmitting: a stray RX from this client must not cut it off.
      return 'accepted';
    }
    this.shared.setPttOwner(null);
    // Unkeying is always sent, even if the cache already says RX: an extra "unkey" is harmless.
    void this.shared.issue(this, { field: 'ptt', on: false });
    return 'accepted';
  }

  private startWatchdog(): void {
    this.stopWatchdog();
    if (this.policy.maxPttSeconds <= 0) return;
    this.watchdog = setTimeout(() => {
      this.watchdog = undefined;
      if (this.shared.pttHolder === this) {
        void this.shared.releasePtt(
          `port ${this.portName} transmitted longer than ptt.max_seconds (${this.policy.maxPttSeconds} s)`,
        );
      }
    }, this.policy.maxPttSeconds * 1000);
    this.watchdog.unref();
  }
}
