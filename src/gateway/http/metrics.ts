import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { FrameEvent } from '../../rigs/emulator.js';
import type { Gateway } from '../gateway.js';
import type { ReadEvent, WriteEvent } from '../rig/shared-rig.js';
import type { EventHub } from './event-hub.js';

/**
 * Prometheus metrics (prom-client), in a registry of this server's own. Counted from the gateway's
 * events from the moment the server starts; on a port's path each frame costs a counter increment on
 * a pre-resolved child and each round trip one histogram observation.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly detachers: (() => void)[] = [];

  constructor(gateway: Gateway, hub: EventHub) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'catbridge_' });

    const commands = new Counter({
      name: 'catbridge_port_commands_total',
      help: 'CAT commands received on a port, by what the emulator made of them (query, set, unknown, malformed, overflow)',
      labelNames: ['port', 'result'] as const,
      registers,
    });
    const portRoundTrip = new Histogram({
      name: 'catbridge_port_round_trip_seconds',
      help: "From a client's bytes being read to the gateway's replies being written, per chunk holding a command",
      labelNames: ['port'] as const,
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    new Gauge({
      name: 'catbridge_port_client_open',
      help: '1 while a client holds the port open',
      labelNames: ['port'] as const,
      registers,
      collect() {
        for (const p of gateway.ports) this.set({ port: p.name }, p.port.clientOpen ? 1 : 0);
        // A port's CAT-over-TCP door is a client of its own: `ft8 (tcp)`.
        for (const p of gateway.tcpDoors) this.set({ port: p.rig.portName }, p.port.clientOpen ? 1 : 0);
      },
    });
    new Gauge({
      name: 'catbridge_network_clients',
      help: 'Clients connected to a network server (servers: in the config)',
      labelNames: ['server', 'type'] as const,
      registers,
      collect() {
        for (const door of gateway.servers) {
          this.set({ server: door.config.name, type: door.config.type }, door.clients.size);
        }
      },
    });

    const backendRequests = new Counter({
      name: 'catbridge_backend_requests_total',
      help: 'Calls to the radio server: polls (read) and writes, by result',
      labelNames: ['backend', 'kind', 'result'] as const,
      registers,
    });
    const backendRoundTrip = new Histogram({
      name: 'catbridge_backend_round_trip_seconds',
      help: 'Duration of a backend call: a whole poll of the radio (read) or one write, queueing included',
      labelNames: ['backend', 'kind'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    new Gauge({
      name: 'catbridge_backend_connected',
      help: '1 while the backend is connected',
      labelNames: ['backend'] as const,
      registers,
      collect() {
        for (const [name, rig] of gateway.rigs) this.set({ backend: name }, rig.backend.connected ? 1 : 0);
      },
    });
    const reconnectsSeen = new Map<string, number>();
    new Counter({
      name: 'catbridge_backend_reconnects_total',
      help: 'Connections to the backend after the first',
      labelNames: ['backend'] as const,
      registers,
      collect() {
        for (const [name, rig] of gateway.rigs) {
          const now = rig.status().reconnects;
          const delta = now - (reconnectsSeen.get(name) ?? 0);
          if (delta > 0) this.inc({ backend: name }, delta);
          else this.inc({ backend: name }, 0);
          reconnectsSeen.set(name, now);
        }
      },
    });

    // PTT time: accumulated on every unkey, and up to now at each scrape while keyed.
    const keyedSince = new Map<string, number>();
    const pttSeconds = new Counter({
      name: 'catbridge_ptt_seconds_total',
      help: 'Time the radio behind a backend spent transmitting',
      labelNames: ['backend'] as const,
      registers,
      collect() {
        const now = performance.now();
        for (const [name] of gateway.rigs) {
          const since = keyedSince.get(name);
          if (since === undefined) this.inc({ backend: name }, 0);
          else {
            this.inc({ backend: name }, (now - since) / 1000);
            keyedSince.set(name, now);
          }
        }
      },
    });
    new Gauge({
      name: 'catbridge_ptt',
      help: '1 while the radio behind the backend transmits',
      labelNames: ['backend'] as const,
      registers,
      collect() {
        for (const [name, rig] of gateway.rigs) this.set({ backend: name }, rig.radioState().ptt ? 1 : 0);
      },
    });

    new Gauge({
      name: 'catbridge_events_clients',
      help: 'Websocket clients of /api/events',
      registers,
      collect() {
        this.set(hub.clientCount);
      },
    });
    let droppedSeen = 0;
    new Counter({
      name: 'catbridge_events_dropped_total',
      help: 'Websocket events dropped for clients that read too slowly',
      registers,
      collect() {
        const now = hub.droppedTotal;
        this.inc(now - droppedSeen);
        droppedSeen = now;
      },
    });

    for (const session of gateway.ports) {
      const port = session.name;
      const byKind = new Map<FrameEvent['kind'], Counter.Internal>();
      const onFrame = (event: FrameEvent) => {
        let child = byKind.get(event.kind);
        if (!child) {
          child = commands.labels({ port, result: event.kind });
          byKind.set(event.kind, child);
        }
        child.inc();
      };
      const roundTrip = portRoundTrip.labels({ port });
      const onRoundTrip = (ms: number) => roundTrip.observe(ms / 1000);
      session.on('frame', onFrame);
      session.on('roundTrip', onRoundTrip);
      this.detachers.push(() => {
        session.off('frame', onFrame);
        session.off('roundTrip', onRoundTrip);
      });
    }

    for (const [backend, rig] of gateway.rigs) {
      const onRead = (read: ReadEvent) => {
        backendRequests.inc({ backend, kind: 'read', result: read.ok ? 'ok' : 'error' });
        backendRoundTrip.observe({ backend, kind: 'read' }, read.ms / 1000);
      };
      const onWrite = (write: WriteEvent) => {
        backendRequests.inc({ backend, kind: 'write', result: write.ok ? 'ok' : 'error' });
        backendRoundTrip.observe({ backend, kind: 'write' }, write.ms / 1000);
      };
      const onChange = () => {
        const ptt = rig.radioState().ptt;
        const since = keyedSince.get(backend);
        if (ptt && since === undefined) keyedSince.set(backend, performance.now());
        if (!ptt && since !== undefined) {
          pttSeconds.inc({ backend }, (performance.now() - since) / 1000);
          keyedSince.delete(backend);
        }
      };
      rig.on('read', onRead);
      rig.on('write', onWrite);
      rig.on('change', onChange);
      this.detachers.push(() => {
        rig.off('read', onRead);
        rig.off('write', onWrite);
        rig.off('change', onChange);
      });
    }
  }

  close(): void {
    for (const detach of this.detachers.splice(0)) detach();
  }
}

export async function metricsPlugin(
  app: FastifyInstance,
  options: { metrics: GatewayMetrics },
): Promise<void> {
  const { registry } = options.metrics;
  app.get('/metrics', { schema: { response: { 200: { type: 'string' } } } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
