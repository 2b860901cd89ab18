import type { WebSocket } from 'ws';

/** What a websocket client asked to see. `ports` null: every port. */
export interface Subscription {
  ports: Set<string> | null;
  /** The decoded CAT trace (frames). */
  trace: boolean;
  /** Backend polls (one per poll_ms per backend: many); writes are always shown. */
  reads: boolean;
}

/** Batches waiting for a slow client; beyond this the oldest are dropped and counted. */
export const MAX_QUEUED_BATCHES = 64;
/** Batches handed to the socket and not yet written out; the rest wait in the queue. */
const MAX_IN_FLIGHT = 4;

interface Batch {
  /** A whole message, `{"events":[…]}`, encoded once and shared by every client that gets it. */
  body: Buffer;
  events: number;
}

/**
 * One websocket client of /api/events: its subscription and a bounded queue. A client that reads
 * slower than events come (a stalled browser tab, a paused debugger) loses the oldest batches, never
 * more than MAX_QUEUED_BATCHES are held for it, and it is told how many events it missed; nothing it
 * does can make the hub, or the ports behind it, wait.
 */
export class EventClient {
  subscription: Subscription = { ports: null, trace: true, reads: false };
  /** Events dropped for this client since it connected. */
  dropped = 0;
  private reportedDrops = 0;
  private readonly queue: Batch[] = [];
  private inFlight = 0;
  private closed = false;

  constructor(private readonly socket: WebSocket) {}

  wantsPort(port: string): boolean {
    return this.subscription.ports === null || this.subscription.ports.has(port);
  }

  /** Queues one message of `events` events for this client; returns the events dropped for it. */
  push(body: Buffer, events: number): number {
    if (this.closed) return 0;
    let dropped = 0;
    if (this.queue.length >= MAX_QUEUED_BATCHES) {
      dropped = this.queue.shift()!.events;
      this.dropped += dropped;
    }
    this.queue.push({ body, events });
    this.pump();
    return dropped;
  }

  /** Sends one message now, ahead of the queue (replies to the client's own requests). */
  sendNow(event: object): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ events: [event] }));
  }

  private pump(): void {
    while (!this.closed && this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      if (this.socket.readyState !== this.socket.OPEN) return;
      const batch = this.queue.shift()!;
      if (this.dropped !== this.reportedDrops) {
        // Tell the client, in band, that it missed events: its view may be stale until the next state.
        this.reportedDrops = this.dropped;
        this.socket.send(`{"events":[{"type":"dropped","total":${this.dropped}}]}`);
      }
      this.inFlight++;
      // A Buffer is sent as is (server frames are not masked): one encoding for every client.
      this.socket.send(batch.body, { binary: false }, () => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  close(code?: number, reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.close(code, reason);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
