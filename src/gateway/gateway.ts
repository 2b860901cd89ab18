import type { Logger } from 'pino';
import { createEmulator } from '../rigs/families.js';
import { createBackend } from './backend-factory.js';
import type { GatewayConfig, PortConfig } from './config.js';
import { DextPort } from './ports/dext-port.js';
import { LinkLock } from './ports/link-lock.js';
import { PortSession } from './ports/port-session.js';
import { PtyPort } from './ports/pty-port.js';
import type { VirtualPort } from './ports/virtual-port.js';
import { attachLinePtt } from './rig/line-ptt.js';
import { PttRecord } from './rig/ptt-record.js';
import { SharedRig } from './rig/shared-rig.js';

/**
 * Everything a config describes, assembled and started in order (backends, shared rigs, ports) and
 * stopped in reverse (ports first so no client writes during shutdown, then PTT released, backends closed).
 */
export class Gateway {
  private constructor(
    readonly config: GatewayConfig,
    readonly rigs: Map<string, SharedRig>,
    readonly ports: PortSession[],
    private readonly logger: Logger,
    private readonly locks: LinkLock[],
  ) {}

  static async start(config: GatewayConfig, logger: Logger): Promise<Gateway> {
    // Every link is locked before anything is touched: a port whose link a running catbridge holds
    // stops the start here, with that process named, and nothing of the running one is disturbed.
    const locks: LinkLock[] = [];
    try {
      for (const port of config.ports) locks.push(LinkLock.acquire(port.link));
    } catch (err) {
      for (const lock of locks) lock.release();
      throw err;
    }
    const rigs = new Map<string, SharedRig>();
    for (const backendConfig of config.backends) {
      const backend = createBackend(backendConfig, logger);
      const rig = new SharedRig(backend, {
        name: backendConfig.name,
        logger,
        pollMs: backendConfig.poll_ms,
        settleMs: backendConfig.settle_ms,
        graceMs: backendConfig.grace_ms,
        // The simulator dies with the process; a real radio outlives it, keyed or not.
        pttRecord:
          backend.type === 'sim' ? undefined : PttRecord.forBackend(backendConfig.name, backend.address),
      });
      rigs.set(backendConfig.name, rig);
    }
    const ports: PortSession[] = [];
    const gateway = new Gateway(config, rigs, ports, logger, locks);
    try {
      for (const rig of rigs.values()) rig.start();
      for (const portConfig of config.ports) ports.push(await gateway.openPort(portConfig));
    } catch (err) {
      await gateway.stop();
      throw err;
    }
    return gateway;
  }

  private async openPort(config: PortConfig): Promise<PortSession> {
    const shared = this.rigs.get(config.backend)!;
    // config.ts refuses `transport: dext` off macOS and `ptt.line` without it.
    const dext =
      config.transport === 'dext' ? await DextPort.open({ name: config.name, link: config.link }) : null;
    const port: VirtualPort = dext ?? (await PtyPort.open({ name: config.name, link: config.link }));
    const rig = shared.portRig(config.name, {
      readonly: config.readonly,
      allowPtt: config.ptt.allow,
      maxPttSeconds: config.ptt.max_seconds,
      releaseOnClose: config.ptt.release_on_close,
      foreignOff: config.ptt.foreign_off,
      frequencyRanges: config.profile.frequency_ranges?.map((r) => ({ fromHz: r.from_hz, toHz: r.to_hz })),
    });
    if (dext) {
      // deviceConfirmed false: the kernel's device did not show up in time and `device` is the name asked for.
      this.logger.info(
        { port: config.name, device: dext.path, deviceConfirmed: dext.pathConfirmed, link: dext.link },
        'dext port created',
      );
      if (config.ptt.line !== 'none') attachLinePtt(dext, rig, config.ptt.line, this.logger);
    }
    return new PortSession(
      config.name,
      port,
      rig,
      shared,
      (clientRig, write, onFrame) =>
        createEmulator(config.profile, {
          profile: config.profile,
          rig: clientRig,
          write,
          onFrame,
          port: {
            autoInfo: config.auto_info,
            civAddress: config.civ_address,
            echo: config.echo,
            transceive: config.transceive,
          },
        }),
      this.logger,
      // The client's own reply timeout less 50 ms: the longest a first reply may wait for a fresh read.
      config.profile.hamlib.timeout_ms - 50,
    );
  }

  /** Stops everything; PTT is released and links are removed. Bounded by `timeoutMs` overall. */
  async stop(timeoutMs = 1800): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await Promise.allSettled(this.ports.map((p) => p.close()));
    for (const lock of this.locks) lock.release();
    const left = Math.max(200, deadline - Date.now());
    await Promise.allSettled([...this.rigs.values()].map((r) => r.close(left)));
  }
}
