import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';

/**
 * WSJT-X's UDP "server" side (Network/NetworkMessage.hpp in WSJT-X): the program sends to it, and
 * accepts requests back to the address it sends from (with "Accept UDP requests" on). Big endian
 * QDataStream: magic 0xadbccbda, schema, message type, then the fields; utf8 = quint32 length (0xffffffff
 * for null) + bytes, bool = one byte.
 */
const MAGIC = 0xadbccbda;
export const MessageType = { Heartbeat: 0, Status: 1, Close: 6, HaltTx: 8 } as const;

export interface WsjtxStatus {
  id: string;
  dialHz: number;
  mode: string;
  txEnabled: boolean;
  transmitting: boolean;
  at: number;
}

class Reader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}
  u8(): number {
    const v = this.buf.readUInt8(this.offset);
    this.offset += 1;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  u64(): number {
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return Number(v);
  }
  bool(): boolean {
    return this.u8() !== 0;
  }
  utf8(): string {
    const len = this.u32();
    if (len === 0xffffffff) return '';
    const v = this.buf.subarray(this.offset, this.offset + len).toString('utf8');
    this.offset += len;
    return v;
  }
}

/** Decodes one datagram's header and, for Status, the fields up to Transmitting. */
export function decodeMessage(
  buf: Buffer,
): { type: number; schema: number; id: string; status?: Omit<WsjtxStatus, 'at'> } | null {
  if (buf.length < 16 || buf.readUInt32BE(0) !== MAGIC) return null;
  const r = new Reader(buf);
  r.u32();
  const schema = r.u32();
  const type = r.u32();
  const id = r.utf8();
  if (type !== MessageType.Status) return { type, schema, id };
  const dialHz = r.u64();
  const mode = r.utf8();
  r.utf8(); // DX call
  r.utf8(); // report
  r.utf8(); // Tx mode
  const txEnabled = r.bool();
  const transmitting = r.bool();
  return { type, schema, id, status: { id, dialHz, mode, txEnabled, transmitting } };
}

function encode(type: number, schema: number, id: string, tail: Buffer = Buffer.alloc(0)): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const head = Buffer.alloc(16);
  head.writeUInt32BE(MAGIC, 0);
  head.writeUInt32BE(schema, 4);
  head.writeUInt32BE(type, 8);
  head.writeUInt32BE(idBytes.length, 12);
  return Buffer.concat([head, idBytes, tail]);
}

/** Listens on 127.0.0.1 and a free port for one WSJT-X instance; keeps what it last said. */
export class WsjtxUdp {
  status: WsjtxStatus | null = null;
  /** Every Status dial frequency in arrival order (for failure reports). */
  readonly dials: number[] = [];
  closed = false;
  private peer: RemoteInfo | null = null;
  private schema = 2;
  private id = '';

  private constructor(private readonly socket: Socket) {
    socket.on('message', (msg, rinfo) => {
      const m = decodeMessage(msg);
      if (!m) return;
      this.peer = rinfo;
      this.schema = m.schema;
      this.id = m.id;
      if (m.type === MessageType.Close) this.closed = true;
      if (m.status) {
        this.status = { ...m.status, at: Date.now() };
        if (this.dials.at(-1) !== m.status.dialHz) this.dials.push(m.status.dialHz);
      }
    });
  }

  static async listen(): Promise<WsjtxUdp> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new WsjtxUdp(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  get heard(): boolean {
    return this.peer !== null;
  }

  private send(type: number, tail?: Buffer): void {
    if (!this.peer) throw new Error('WSJT-X has not sent anything yet, so there is nowhere to send to');
    this.socket.send(encode(type, this.schema, this.id, tail), this.peer.port, this.peer.address);
  }

  /** Asks WSJT-X to quit gracefully (as File → Exit). */
  sendClose(): void {
    this.send(MessageType.Close);
  }

  /** Halt Tx (auto_only false: stop now, as the Halt Tx button). */
  sendHaltTx(): void {
    this.send(MessageType.HaltTx, Buffer.from([0]));
  }

  /** A short history of the dial frequencies WSJT-X reported, for failure messages. */
  describe(): string {
    return `UDP status dials seen: [${this.dials.slice(-8).join(', ')}], last status: ${JSON.stringify(this.status)}`;
  }

  close(): void {
    this.socket.close();
  }
}
