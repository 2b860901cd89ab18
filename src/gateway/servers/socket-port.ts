import type { Socket } from 'node:net';
import { monotonicMs } from '../ports/pty-native.js';
import { ConnectionPort } from './connection-port.js';

/**
 * One network client's connection as a byte stream VirtualPort, so a door's client goes through the
 * same PortSession as a pty's: the open rule, the settle window, PTT release on close (DESIGN.md
 * "Doors"). Used by the rigctld door and by CAT over TCP.
 */
export class SocketPort extends ConnectionPort {
  constructor(socket: Socket, door: string) {
    super(socket, door);
    socket.on('data', (chunk: Buffer) => this.emit('data', chunk, monotonicMs()));
  }

  write(bytes: Uint8Array): void {
    if (this.clientOpen && this.socket.writable) this.socket.write(bytes);
  }
}
