import type { Clock } from './clock.js';

/** A client that can hold PTT (a port's PortRig). */
export interface PttClient {
  readonly portName: string;
  stopWatchdog(): void;
}

export interface PttArbiterHooks<P extends PttClient> {
  clock: Clock;
  /** A radio unreadable this long while it may be keyed is unkeyed (config grace_ms). */
  graceMs: number;
  /** The cache says the radio transmits. */
  radioKeyed(): boolean;
  /** How long the radio has been unreadable, ms; null while it reads. */
  lostForMs(): number | null;
  connected(): boolean;
  /** Issues an unkey as `port` did (the cache says RX at once). */
  issueUnkey(port: P): Promise<boolean>;
  /** Sends an unkey without touching the cache (the health check: the cache stays TX until confirmed). */
  sendUnkey(port: P): Promise<boolean>;
  /** Any port, to send an unkey for when nobody holds PTT (shutdown, a radio left keyed). */
  anyPort(): P | undefined;
  /** The radio is taken for unkeyed (a refused key-up, a lost link): the cache says RX. */
  markUnkeyed(): void;
  ownerChanged(owner: P | null): void;
  warn(detail: object, message: string): void;
}

/** How often the health rule is checked, ms. */
const HEALTH_CHECK_MS = 250;
/** A refused unkey on a live link is tried again this many times, this far apart. */
const UNKEY_RETRIES = 3;
const UNKEY_RETRY_MS = 300;

/**
 * One transmitter at a time, and no PTT left on (DESIGN.md "PTT"): who holds PTT, and the rules that
 * unkey the radio when that is not a client's choice — a refused unkey tried again, an unkey owed
 * since the link died sent first thing after the reconnect, and a radio unreadable past grace_ms
 * while it may be keyed unkeyed at once and again every check until it confirms.
 */
export class PttArbiter<P extends PttClient> {
  private current: P | null = null;
  private unkeyOnReconnect = false;
  private retries = 0;
  private unkeying = false;
  private timer: unknown;
  private stopped = false;

  constructor(private readonly hooks: PttArbiterHooks<P>) {}

  get owner(): P | null {
    return this.current;
  }

  start(): void {
    const check = () => {
      this.checkHealth();
      if (!this.stopped) this.timer = this.hooks.clock.setTimeout(check, HEALTH_CHECK_MS);
    };
    this.timer = this.hooks.clock.setTimeout(check, HEALTH_CHECK_MS);
  }

  stop(): void {
    this.stopped = true;
    this.hooks.clock.clearTimeout(this.timer);
  }

  setOwner(port: P | null): void {
    if (this.current === port) return;
    this.current?.stopWatchdog();
    this.current = port;
    this.hooks.ownerChanged(port);
  }

  /** A key-up did not reach the radio. */
  keyFailed(port: P): void {
    if (this.current === port) this.setOwner(null);
    this.hooks.markUnkeyed();
  }

  unkeyConfirmed(): void {
    this.retries = 0;
    this.unkeyOnReconnect = false;
  }

  /**
   * An unkey that did not reach the radio must not be forgotten: it is sent again after the next
   * reconnect, and retried a few times meanwhile if the link is still up (a refused or timed-out call).
   */
  unkeyFailed(port: P): void {
    this.unkeyOnReconnect = true;
    if (this.stopped || this.retries >= UNKEY_RETRIES) return;
    this.retries++;
    this.hooks.clock.setTimeout(() => {
      if (this.hooks.connected() && !this.current) void this.hooks.issueUnkey(port);
    }, UNKEY_RETRY_MS);
  }

  /** The link to the backend died: whatever was keyed is owed an unkey, and nobody holds PTT. */
  linkLost(): void {
    if (!this.hooks.radioKeyed() && !this.current) return;
    this.unkeyOnReconnect = true;
    this.setOwner(null);
    this.hooks.markUnkeyed();
  }

  /** The link is back: the first thing the radio hears from us is an owed unkey. */
  linkBack(): void {
    if (!this.unkeyOnReconnect) return;
    this.unkeyOnReconnect = false;
    const port = this.hooks.anyPort();
    if (port) void this.hooks.issueUnkey(port);
  }

  /** The health rule (see the class comment); run every HEALTH_CHECK_MS. */
  checkHealth(): void {
    if (this.stopped || this.unkeying) return;
    const keyed = this.current !== null || this.hooks.radioKeyed();
    const lostFor = this.hooks.lostForMs();
    if (!keyed || lostFor === null || lostFor < this.hooks.graceMs) return;
    if (!this.hooks.connected()) {
      this.unkeyOnReconnect = true;
      return;
    }
    const port = this.current ?? this.hooks.anyPort();
    if (!port) return;
    this.unkeying = true;
    this.hooks.warn(
      { port: this.current?.portName, unreadableMs: Math.round(lostFor) },
      'radio unreadable past grace_ms while keyed: unkeying',
    );
    void this.hooks.sendUnkey(port).then((ok) => {
      this.unkeying = false;
      if (!ok) return;
      this.setOwner(null);
      this.hooks.markUnkeyed();
    });
  }
}
