import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { RigctldConnection } from '../../src/gateway/backends/rigctld-connection.js';

/**
 * A stand-in rigctld for the queue order only: answers each `+v` line with an extended get_vfo answer
 * after 20 ms, one at a time, and records the order in which lines arrived.
 */
async function slowServer(): Promise<{ server: Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((socket) => {
    let buffer = '';
    let busy = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        seen.push(line);
        busy = busy.then(
          () =>
            new Promise<void>((resolve) =>
              setTimeout(() => {
                if (!socket.destroyed) socket.write('get_vfo:\nVFO: VFOA\nRPRT 0\n');
                resolve();
              }, 20),
            ),
        );
      }
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port, seen };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

it('an urgent request goes ahead of every routine request not yet written, behind the one in flight', async () => {
  const { server, port, seen } = await slowServer();
  const link = new RigctldConnection({ host: '127.0.0.1', port, handshake: async () => undefined });
  cleanup = async () => {
    await link.close();
    server.close();
  };
  await link.connect();
  const done: string[] = [];
  const routine = [1, 2, 3, 4].map((n) =>
    link.request(`+v # routine ${n}\n`, 'get_vfo').then(() => done.push(`routine ${n}`)),
  );
  await new Promise((resolve) => setImmediate(resolve)); // routine 1 is on the wire
  let urgentWrittenAt: number | null = null;
  const queuedAt = performance.now();
  const urgent = link
    .request('+v # urgent\n', 'get_vfo', {
      urgent: true,
      onWrite: (at) => {
        urgentWrittenAt = at;
      },
    })
    .then(() => done.push('urgent'));
  expect(urgentWrittenAt).toBeNull(); // queued behind routine 1, not yet on the wire
  await Promise.all([...routine, urgent]);
  expect(seen).toEqual([
    '+v # routine 1',
    '+v # urgent',
    '+v # routine 2',
    '+v # routine 3',
    '+v # routine 4',
  ]);
  expect(done).toEqual(['routine 1', 'urgent', 'routine 2', 'routine 3', 'routine 4']);
  // Written once routine 1 was answered (the stand-in answers after 20 ms).
  expect(urgentWrittenAt).toBeGreaterThanOrEqual(queuedAt + 15);
});
