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
import { openFlrigDoor } from './servers/flrig-door.js';
import type { NetworkDoor } from './servers/network-door.js';
import { watchPttIdle } from './servers/ptt-idle.js';
import { openRigctldDoor } from './servers/rigctld-door.js';
import { TcpCatPort } from './servers/tcp-cat-port.js';

/**
 * Everything a config describes, assembled and started in order (backends, shared rigs, ports) and
 * stopped in reverse (ports first so no client writes during shutdown, then PTT released, backends closed).
 */
export class Gateway {
  /** Timers and watchers to stop with the gateway. */
  private readonly onStop: (() => void)[] = [];

  private constructor(
    readonly config: GatewayConfig,
    readonly rigs: Map<string, SharedRig>,
    readonly ports: PortSession[],
    private readonly logger: Logger,
    /**
     * The CAT-over-TCP doors of ports that also have a pty: each its own client of the radio (its own
     * emulator, settle window and PTT ownership). A `transport: tcp` port's door is in `ports`.
     */
    readonly tcpDoors: PortSession[],
    /** The network servers (`servers:`), each with its connected clients. */
    readonly servers: NetworkDoor[],
    private readonly locks: LinkLock[],
  ) {}

  static async start(config: GatewayConfig, logger: Logger): Promise<Gateway> {
    // Every link is locked before anything is touched: a port whose link a running catbridge holds
    // stops the start here, with that process named, and nothing of the running one is disturbed.
    const locks: LinkLock[] = [];
    try {
      for (const port of config.ports) if (port.transport !== 'tcp') locks.push(LinkLock.acquire(port.link));
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
    const gateway = new Gateway(config, rigs, ports, logger, [], [], locks);
    try {
      for (const rig of rigs.values()) rig.start();
      for (const portConfig of config.ports) {
        if (portConfig.transport !== 'tcp') ports.push(await gateway.openPort(portConfig));
        if (portConfig.tcp) {
          const door = await gateway.openTcpDoor(portConfig, portConfig.tcp);
          (portConfig.transport === 'tcp' ? ports : gateway.tcpDoors).push(door);
        }
      }
      for (const serverConfig of config.servers) {
        const shared = rigs.get(serverConfig.backend)!;
        const open = serverConfig.type === 'flrig' ? openFlrigDoor : openRigctldDoor;
        gateway.servers.push(await open(serverConfig, shared, logger));
      }
    } catch (err) {
      await gateway.stop();
      throw err;
    }
    return gateway;
  }

  private async openPort(config: PortConfig): Promise<PortSession> {
    // config.ts refuses `transport: dext` off macOS and `ptt.line` without it.
    const dext =
      config.transport === 'dext' ? await DextPort.open({ name: config.name, link: config.link }) : null;
    const port: VirtualPort = dext ?? (await PtyPort.open({ name: config.name, link: config.link }));
    const session = this.portSession(config, port, config.name);
    if (dext) {
      // deviceConfirmed false: the kernel's device did not show up in time and `device` is the name asked for.
      this.logger.info(
        { port: config.name, device: dext.path, deviceConfirmed: dext.pathConfirmed, link: dext.link },
        'dext port created',
      );
      if (config.ptt.line !== 'none') attachLinePtt(dext, session.rig, config.ptt.line, this.logger);
    }
    return session;
  }

  /**
   * A port's CAT on TCP: the same profile and options as its pty, with its own emulator and handle on
   * the radio (a second client of the radio, as a second program on another port would be).
   */
  private async openTcpDoor(config: PortConfig, tcp: NonNullable<PortConfig['tcp']>): Promise<PortSession> {
    const port = await TcpCatPort.open({
      name: config.name,
      listen: tcp.listen,
      allow: tcp.allow,
      logger: this.logger,
    });
    this.logger.info({ port: config.name, listen: port.link }, 'CAT over TCP listening');
    const rigName = config.transport === 'tcp' ? config.name : `${config.name} (tcp)`;
    const session = this.portSession(config, port, rigName);
    const stopIdle = watchPttIdle(
      port,
      session.rig,
      this.rigs.get(config.backend)!,
      tcp.ptt_idle_s,
      this.logger,
    );
    this.onStop.push(stopIdle);
    return session;
  }

  private portSession(config: PortConfig, port: VirtualPort, rigName: string): PortSession {
    const shared = this.rigs.get(config.backend)!;
    const rig = shared.portRig(rigName, {
      readonly: config.readonly,
      allowPtt: config.ptt.allow,
      maxPttSeconds: config.ptt.max_seconds,
      releaseOnClose: config.ptt.release_on_close,
      foreignOff: config.ptt.foreign_off,
      frequencyRanges: config.profile.frequency_ranges?.map((r) => ({ fromHz: r.from_hz, toHz: r.to_hz })),
    });
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
    for (const stop of this.onStop) stop();
    await Promise.allSettled([
      ...[...this.ports, ...this.tcpDoors].map((p) => p.close()),
      ...this.servers.map((s) => s.close()),
    ]);
    for (const lock of this.locks) lock.release();
    const left = Math.max(200, deadline - Date.now());
    await Promise.allSettled([...this.rigs.values()].map((r) => r.close(left)));
  }
}
