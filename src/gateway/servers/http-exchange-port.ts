import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { monotonicMs } from '../ports/pty-native.js';
import { ConnectionPort } from './connection-port.js';

/** An XML-RPC request body is small (a multicall of a whole poll is ~2 KB); more is refused. */
const MAX_BODY_BYTES = 64 * 1024;
/**
 * A request its session has not answered by then never will be (its bytes were dropped while the
 * radio could not be read after the connect): it gets a fault so the client is not left waiting.
 */
const UNANSWERED_MS = 3000;

interface Exchange {
  response: ServerResponse;
  timer: NodeJS.Timeout;
}

/**
 * One HTTP/1.1 keep-alive connection to an XML-RPC door as a VirtualPort (Hamlib's flrig client and
 * fldigi keep one connection for a whole session): each request body is one 'data' event, each
 * write answers the oldest request waiting, as flrig's XmlRpc++ server frames it. node:http parses
 * the HTTP; the connection is the open, its end the close.
 */
export class HttpExchangePort extends ConnectionPort {
  private readonly waiting: Exchange[] = [];

  constructor(
    socket: Socket,
    door: string,
    /** The body to answer a request with when its session never did. */
    private readonly unanswered: () => Uint8Array,
  ) {
    super(socket, door);
  }

  protected override closed(): void {
    for (const exchange of this.waiting.splice(0)) clearTimeout(exchange.timer);
  }

  /** A request on this connection (from the door's HTTP server). */
  request(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413).end();
        return;
      }
      const exchange: Exchange = {
        response,
        timer: setTimeout(() => this.answerUnanswered(exchange), UNANSWERED_MS),
      };
      this.waiting.push(exchange);
      this.emit('data', Buffer.concat(chunks), monotonicMs());
    });
  }

  /** Answers the oldest request waiting, with flrig's headers (`Content-length` spelled as it does). */
  write(bytes: Uint8Array): void {
    const exchange = this.waiting.shift();
    if (!exchange) return;
    clearTimeout(exchange.timer);
    const { response } = exchange;
    response.sendDate = false;
    response.writeHead(200, [
      'Server',
      'XMLRPC++ 0.8',
      'Content-Type',
      'text/xml',
      'Content-length',
      String(bytes.length),
    ]);
    response.end(bytes);
  }

  private answerUnanswered(exchange: Exchange): void {
    const index = this.waiting.indexOf(exchange);
    if (index < 0) return;
    // Requests are answered in order: the ones before it were dropped too.
    for (let i = 0; i <= index; i++) this.write(this.unanswered());
  }
}
