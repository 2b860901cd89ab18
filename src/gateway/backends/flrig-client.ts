import { Agent, request } from 'node:http';
import { BackendError } from './backend.js';
import {
  decodeResponse,
  encodeCall,
  encodeMulticall,
  multicallResults,
  type XmlRpcFault,
  type XmlRpcParam,
  XmlRpcProtocolError,
  type XmlRpcValue,
} from './xmlrpc.js';

export interface FlrigClientOptions {
  host: string;
  port: number;
  /**
   * A deadline: the whole answer must have arrived within this many ms of its request being sent, however
   * the bytes trickle in (an idle timeout is not enough: an answer dripping one byte per 0.5 s never
   * goes idle, and the link would pass for up while every call behind it waited). Default 3000: a poll
   * holds live CAT reads (an FT-991A split read alone takes 260-420 ms through flrig) and set_split
   * waits up to 500 ms; past this the link is taken as lost.
   */
  requestTimeoutMs?: number;
  /** Answers longer than this are a broken server: the connection is dropped. Default 256 KiB. */
  maxResponseBytes?: number;
  /** Requests waiting beyond this many are refused at once rather than queued without bound. Default 256. */
  maxQueue?: number;
}

/** The link itself failed (refused, timed out, broken or huge answer): the backend must reconnect. */
export class FlrigLinkError extends BackendError {
  override name = 'FlrigLinkError';
}

/**
 * XML-RPC calls to one flrig over one keep-alive HTTP/1.1 connection, one call at a time in order
 * (flrig's XmlRpc++ server is single-threaded; research/flrig.md §3.4). A call is refused by flrig
 * with a BackendError carrying its fault; a transport problem is a FlrigLinkError.
 */
export class FlrigClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;
  requests = 0;
  failures = 0;
  lastRoundTripMs: number | null = null;

  constructor(private readonly options: FlrigClientOptions) {}

  call(method: string, params: XmlRpcParam[] = []): Promise<XmlRpcValue> {
    return this.enqueue(method, encodeCall(method, params)).then((xml) => this.decode(method, xml));
  }

  /**
   * A call that waits for nothing queued: sent at once on a connection of its own (an unkey must not
   * wait out a poll, least of all one whose answer is dripping in). flrig serves connections one at a
   * time, so behind a busy flrig it waits there, never longer than behind the queue.
   */
  urgentCall(method: string, params: XmlRpcParam[] = []): Promise<XmlRpcValue> {
    return this.post(method, encodeCall(method, params), false).then((xml) => this.decode(method, xml));
  }

  /**
   * Several parameterless calls in one round trip; a failed call is an XmlRpcFault in its place. An
   * answer with no results or fewer than asked rejects the whole call with a BackendError: the caller
   * cannot tell which fields it holds, so none of them is read. The exchange itself completed in step,
   * so the connection is kept.
   */
  multicall(methods: string[]): Promise<(XmlRpcValue | XmlRpcFault)[]> {
    return this.enqueue('system.multicall', encodeMulticall(methods)).then((xml) => {
      const value = this.decode('system.multicall', xml);
      try {
        return multicallResults(value, methods.length);
      } catch (err) {
        this.failures++;
        throw new BackendError(`system.multicall: malformed answer from flrig (${(err as Error).message})`);
      }
    });
  }

  /** Drops the connection (a broken server) and fails nothing queued: later calls open a new one. */
  reset(): void {
    this.agent.destroy();
  }

  close(): void {
    this.agent.destroy();
  }

  private decode(method: string, xml: string): XmlRpcValue {
    try {
      return decodeResponse(xml);
    } catch (err) {
      this.failures++;
      if (err instanceof XmlRpcProtocolError) {
        this.reset();
        throw new FlrigLinkError(`${method}: flrig answered something that is not XML-RPC (${err.message})`);
      }
      const fault = err as XmlRpcFault;
      throw new BackendError(`${method}: flrig refused: ${fault.faultString}`, fault.code);
    }
  }

  private enqueue(method: string, body: string): Promise<string> {
    if (this.queued >= (this.options.maxQueue ?? 256)) {
      return Promise.reject(new BackendError(`${method}: too many requests waiting for flrig`));
    }
    this.queued++;
    const run = this.chain.then(() => this.post(method, body));
    this.chain = run.catch(() => {});
    return run.finally(() => {
      this.queued--;
    });
  }

  private post(method: string, body: string, agent: Agent | false = this.agent): Promise<string> {
    const started = performance.now();
    const limit = this.options.maxResponseBytes ?? 256 * 1024;
    const deadlineMs = this.options.requestTimeoutMs ?? 3000;
    this.requests++;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      // One timer from start to complete answer (not the socket's idle timeout, which a drip resets).
      const deadline = setTimeout(() => {
        req.destroy();
        if (agent) this.reset();
        fail(`no complete answer within ${deadlineMs} ms; connection dropped`);
      }, deadlineMs);
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        this.failures++;
        reject(new FlrigLinkError(`${method}: ${message}`));
      };
      const req = request(
        {
          host: this.options.host,
          port: this.options.port,
          method: 'POST',
          path: '/RPC2',
          agent,
          headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limit) {
              req.destroy();
              this.reset();
              fail(`answer longer than ${limit} bytes; connection dropped`);
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            if (size > limit) return;
            this.lastRoundTripMs = performance.now() - started;
            if (res.statusCode !== 200) fail(`HTTP ${res.statusCode}`);
            else if (!settled) {
              settled = true;
              clearTimeout(deadline);
              resolve(Buffer.concat(chunks).toString('utf8'));
            }
          });
          res.on('error', (err) => fail(err.message));
        },
      );
      req.on('error', (err) => fail(err.message));
      req.end(body);
    });
  }
}
