/**
 * Unit: the per-client queue of /api/events. A client whose socket never finishes a write holds at most
 * MAX_QUEUED_BATCHES batches; the oldest are dropped and counted, and the client is told in band.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { EventClient, MAX_QUEUED_BATCHES } from '../../src/gateway/http/event-client.js';

/** A socket that accepts sends and completes them only when told (a client that stopped reading). */
class StalledSocket {
  readonly OPEN = 1;
  readyState = 1;
  readonly sent: string[] = [];
  private readonly callbacks: (() => void)[] = [];
  send(data: string | Buffer, options?: { binary?: boolean } | (() => void), cb?: () => void): void {
    this.sent.push(data.toString());
    const done = typeof options === 'function' ? (options as () => void) : cb;
    if (done) this.callbacks.push(done);
  }
  /** The client reads again: every write in flight completes. */
  drain(): void {
    for (const cb of this.callbacks.splice(0)) cb();
  }
  close(): void {
    this.readyState = 3;
  }
}

const batch = (n: number) => Buffer.from(`{"events":[{"type":"frame","n":${n}}]}`);

describe('EventClient queue', () => {
  it('holds a bounded number of batches for a stalled client and counts what it drops', () => {
    const socket = new StalledSocket();
    const client = new EventClient(socket as unknown as WebSocket);
    for (let n = 0; n < 1000; n++) client.push(batch(n), 1);
    const inFlight = socket.sent.length;
    expect(inFlight).toBeGreaterThan(0);
    expect(inFlight).toBeLessThan(10);
    expect(client.dropped).toBe(1000 - inFlight - MAX_QUEUED_BATCHES);

    // Reading again: first the drop count, then the survivors in order.
    while (socket.sent.length < inFlight + 1 + MAX_QUEUED_BATCHES) socket.drain();
    socket.drain();
    const after = socket.sent
      .slice(inFlight)
      .map((m) => JSON.parse(m) as { events: { type: string; n?: number; total?: number }[] });
    expect(after).toHaveLength(1 + MAX_QUEUED_BATCHES);
    expect(after[0]!.events).toEqual([{ type: 'dropped', total: client.dropped }]);
    expect(after[1]!.events[0]!.n).toBe(1000 - MAX_QUEUED_BATCHES);
    expect(after.at(-1)!.events).toEqual([{ type: 'frame', n: 999 }]);
    // The drop notice is given once, not repeated before every later batch.
    expect(after.slice(1).every((m) => m.events[0]!.type === 'frame')).toBe(true);
  });

  it('a client that keeps up loses nothing', () => {
    const socket = new StalledSocket();
    const client = new EventClient(socket as unknown as WebSocket);
    for (let n = 0; n < 500; n++) {
      client.push(batch(n), 1);
      socket.drain();
    }
    expect(client.dropped).toBe(0);
    expect(socket.sent).toHaveLength(500);
  });
});
