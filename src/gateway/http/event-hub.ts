import type { FrameEvent } from '../../rigs/emulator.js';
import type { Gateway } from '../gateway.js';
import type { PortSession } from '../ports/port-session.js';
import type { ReadEvent, SharedRig, WriteEvent } from '../rig/shared-rig.js';
import type { DoorClient, NetworkDoor } from '../servers/network-door.js';
import type { EventClient } from './event-client.js';

function subscriptionKey(client: EventClient): string {
  const { ports, trace, reads } = client.subscription;
  return `${ports === null ? '*' : [...ports].sort().join('\n')}|${trace}|${reads}`;
}

import { describeCall, traceFrame } from './trace.js';
import { backendView, clientView, networkClientView, round3, stateView } from './views.js';

/** Events are gathered and sent in batches at most this often: one socket write per client per batch. */
export const FLUSH_MS = 50;
/** Frames held between two batches (a client hammering a port: ~10 000 frames/s); the rest are dropped and counted. */
const MAX_PENDING_FRAMES = 2000;
/**
 * Events handled per turn of the event loop: a big batch is cut in slices, so a port's next command
 * never waits behind more than one slice (~256 × 10 µs with 10 clients, bench/trace-cost.ts).
 */
const SLICE_EVENTS = 256;

interface PendingFrame {
  frame: true;
  port: string;
  event: FrameEvent;
  atMs: number;
}

/** One event of a batch, serialised once for every client, with what a subscription filters on. */
interface Outgoing {
  json: string;
  port?: string;
  backend?: string;
  /** Shown only to clients that asked for it. */
  needs?: 'trace' | 'reads';
}

/**
 * The fan-out of /api/events. While no client is connected it is not attached to anything: the ports
 * and rigs emit to no listener of ours. With clients, a port's frame costs one array push on the port's
 * path; decoding, JSON and socket writes happen later, in a batch, once per event for all clients.
 */
export class EventHub {
  private readonly clients = new Set<EventClient>();
  private readonly detachers: (() => void)[] = [];
  /** Everything since the last batch, in the order it happened (a frame is decoded only at flush). */
  private pending: (Outgoing | PendingFrame)[] = [];
  private pendingFrames = 0;
  private framesDropped = 0;
  private readonly changedBackends = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** The next slice of a batch too big for one turn. */
  private immediate: NodeJS.Immediate | undefined;
  private readonly portsOfBackend = new Map<string, string[]>();
  /** The state last sent per backend: a poll that changed only what a port object does not show is not news. */
  private readonly lastState = new Map<string, string>();

  constructor(private readonly gateway: Gateway) {
    for (const port of gateway.config.ports) {
      const list = this.portsOfBackend.get(port.backend) ?? [];
      list.push(port.name);
      this.portsOfBackend.set(port.backend, list);
    }
  }

  /** Events dropped for slow clients since the server started (all clients). */
  droppedTotal = 0;

  get clientCount(): number {
    return this.clients.size;
  }

  add(client: EventClient): void {
    this.clients.add(client);
    if (this.detachers.length === 0) this.attach();
  }

  remove(client: EventClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.detach();
  }

  /** Closes every client (server shutdown). */
  close(): void {
    for (const client of this.clients) client.close(1001, 'catbridge is stopping');
    this.clients.clear();
    this.detach();
  }

  private attach(): void {
    for (const session of this.gateway.ports) this.attachPort(session);
    // A port's TCP door and every network client are traced under their own names (`ft8 (tcp)`, `hamlib#3`).
    for (const session of this.gateway.tcpDoors) this.attachFrames(session, session.rig.portName);
    for (const door of this.gateway.servers) this.attachDoor(door);
    for (const [name, rig] of this.gateway.rigs) this.attachRig(name, rig);
  }

  /** A server's clients coming and going (`netclient` events), and their traffic in the trace. */
  private attachDoor(door: NetworkDoor): void {
    const clientDetachers = new Map<DoorClient, () => void>();
    const follow = (client: DoorClient) =>
      clientDetachers.set(client, this.attachFrames(client.session, client.name));
    for (const client of door.clients) follow(client);
    const onClient = (client: DoorClient, connected: boolean) => {
      if (connected) follow(client);
      else {
        clientDetachers.get(client)?.();
        clientDetachers.delete(client);
      }
      this.queue({
        json: JSON.stringify({
          type: 'netclient',
          server: door.config.name,
          connected,
          client: networkClientView(this.gateway, door, client),
        }),
        backend: door.config.backend,
      });
    };
    door.on('client', onClient);
    this.detachers.push(() => {
      door.off('client', onClient);
      for (const detach of clientDetachers.values()) detach();
    });
  }

  /** Frames of a session into the trace under `name`; returns the detacher. */
  private attachFrames(session: PortSession, name: string): () => void {
    const onFrame = (event: FrameEvent) => this.noteFrame(name, event);
    session.on('frame', onFrame);
    const detach = () => session.off('frame', onFrame);
    this.detachers.push(detach);
    return detach;
  }

  private noteFrame(port: string, event: FrameEvent): void {
    if (this.pendingFrames >= MAX_PENDING_FRAMES) this.framesDropped++;
    else {
      this.pending.push({ frame: true, port, event, atMs: Date.now() });
      this.pendingFrames++;
    }
    this.schedule();
  }

  private detach(): void {
    for (const detach of this.detachers.splice(0)) detach();
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.immediate);
    this.immediate = undefined;
    this.pending = [];
    this.pendingFrames = 0;
    this.changedBackends.clear();
    this.lastState.clear();
  }

  private attachPort(session: PortSession): void {
    const port = session.name;
    // The one thing done on the port's own path: remember the frame. The reply may not be written yet.
    const onFrame = (event: FrameEvent) => this.noteFrame(port, event);
    const onClient = () => {
      this.queue({ json: JSON.stringify({ type: 'client', port, client: clientView(session) }), port });
    };
    session.on('frame', onFrame);
    session.on('client', onClient);
    this.detachers.push(() => {
      session.off('frame', onFrame);
      session.off('client', onClient);
    });
  }

  private attachRig(backend: string, rig: SharedRig): void {
    const onChange = () => {
      this.changedBackends.add(backend);
      this.schedule();
    };
    const onWrite = (write: WriteEvent) => {
      const event = {
        type: 'call',
        at: new Date().toISOString(),
        backend,
        port: write.port,
        call: describeCall(write.value),
        ok: write.ok,
        ms: round3(write.ms),
        ...(write.error ? { error: write.error } : {}),
      };
      this.queue({ json: JSON.stringify(event), port: write.port, backend });
    };
    const onRead = (read: ReadEvent) => {
      const event = {
        type: 'read',
        at: new Date().toISOString(),
        backend,
        ok: read.ok,
        ms: round3(read.ms),
        ...(read.error ? { error: read.error } : {}),
      };
      // A failed poll is news for everyone watching the backend; a good one only for who asked.
      this.queue({ json: JSON.stringify(event), backend, ...(read.ok ? { needs: 'reads' as const } : {}) });
    };
    const onBackend = () => {
      this.queue({ json: JSON.stringify({ type: 'backend', backend: backendView(backend, rig) }), backend });
    };
    const onPtt = (owner: string | null) => {
      this.queue({ json: JSON.stringify({ type: 'ptt', backend, owner }), backend });
    };
    rig.on('change', onChange);
    rig.on('write', onWrite);
    rig.on('read', onRead);
    rig.on('backend', onBackend);
    rig.on('ptt', onPtt);
    // Whoever watches the events reads frequency, mode and PTT once a second (demand-driven polling).
    const unwatch = rig.watch();
    this.detachers.push(() => {
      unwatch();
      rig.off('change', onChange);
      rig.off('write', onWrite);
      rig.off('read', onRead);
      rig.off('backend', onBackend);
      rig.off('ptt', onPtt);
    });
  }

  private queue(event: Outgoing): void {
    this.pending.push(event);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.immediate) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Builds this batch's events once and hands each client the ones it subscribed to. */
  private flush(): void {
    this.timer = undefined;
    const tracing = [...this.clients].some((c) => c.subscription.trace);
    const out: Outgoing[] = [];
    const slice = this.pending.length > SLICE_EVENTS ? this.pending.splice(0, SLICE_EVENTS) : this.pending;
    const more = slice !== this.pending;
    for (const item of slice) {
      if (!('frame' in item)) out.push(item);
      else if (tracing) {
        out.push({
          json: JSON.stringify(traceFrame(item.port, item.event, item.atMs)),
          port: item.port,
          needs: 'trace',
        });
      }
    }
    if (more) {
      // The rest on the next turn, after whatever the ports have to do.
      this.pendingFrames = this.pending.reduce((n, item) => n + ('frame' in item ? 1 : 0), 0);
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.flush();
      });
    } else {
      this.pending = [];
      this.pendingFrames = 0;
    }
    for (const backend of this.changedBackends) {
      const rig = this.gateway.rigs.get(backend)!;
      const state = stateView(rig);
      const key = JSON.stringify(state);
      if (this.lastState.get(backend) === key) continue;
      this.lastState.set(backend, key);
      for (const port of this.portsOfBackend.get(backend) ?? []) {
        out.push({ json: JSON.stringify({ type: 'state', port, backend, state }), port });
      }
    }
    this.changedBackends.clear();
    const overflow = this.framesDropped;
    this.framesDropped = 0;
    if (out.length === 0 && overflow === 0) return;
    // Clients with the same subscription (typically: all of them) share one message, built once: the
    // fan-out costs a socket write per client, not a join and an encoding per client.
    const messages = new Map<string, { body: Buffer; events: number } | null>();
    for (const client of this.clients) {
      if (overflow > 0 && client.subscription.trace) {
        client.dropped += overflow;
        this.droppedTotal += overflow;
      }
      const key = subscriptionKey(client);
      let message = messages.get(key);
      if (message === undefined) {
        const mine: string[] = [];
        for (const event of out) if (this.wants(client, event)) mine.push(event.json);
        message =
          mine.length > 0
            ? { body: Buffer.from(`{"events":[${mine.join(',')}]}`), events: mine.length }
            : null;
        messages.set(key, message);
      }
      if (message) this.droppedTotal += client.push(message.body, message.events);
    }
  }

  private wants(client: EventClient, event: Outgoing): boolean {
    const { subscription } = client;
    if (event.needs === 'trace' && !subscription.trace) return false;
    if (event.needs === 'reads' && !subscription.reads) return false;
    if (event.port !== undefined) return client.wantsPort(event.port);
    if (event.backend !== undefined && subscription.ports !== null) {
      return (this.portsOfBackend.get(event.backend) ?? []).some((p) => client.wantsPort(p));
    }
    return true;
  }
}
