import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (rigctld) that misbehaves on demand: `mode` decides what
 * happens to the server's answers — passed on, delayed by `delayMs`, swallowed, or replaced by
 * garbage, or answered with an endless line (`flood`); `cut()` drops every connection and refuses new ones until `restore()` (a network outage
 * while the server itself keeps running).
 */
/** Writes one never-ending line until the client goes away or stops reading. */
function flood(client: Socket): void {
  const chunk = 'x'.repeat(64 * 1024);
  const pump = () => {
    while (!client.destroyed && client.write(chunk)) {
      /* until the socket pushes back */
    }
  };
  client.on('drain', pump);
  pump();
}

export class FaultyProxy {
  mode: 'pass' | 'silent' | 'garbage' | 'slow' | 'flood' = 'pass';
  delayMs = 200;
  private down = false;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<FaultyProxy> {
    let proxy: FaultyProxy | undefined;
    const server = createServer((client) => {
      if (proxy!.down) {
        client.destroy();
        return;
      }
      const upstream = netConnect(targetPort, '127.0.0.1');
      proxy!.sockets.add(client).add(upstream);
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => {
        if (proxy!.mode === 'pass') client.write(d);
        else if (proxy!.mode === 'slow') setTimeout(() => client.write(d), proxy!.delayMs);
        else if (proxy!.mode === 'garbage') client.write('\u0000\u00ffgarbage: \u0007\nRPRT banana\n\n\n');
        else if (proxy!.mode === 'flood') flood(client);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        proxy!.sockets.delete(client);
        proxy!.sockets.delete(upstream);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    proxy = new FaultyProxy(server, typeof address === 'object' && address ? address.port : 0);
    return proxy;
  }

  /** Drops every connection and refuses new ones. */
  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
