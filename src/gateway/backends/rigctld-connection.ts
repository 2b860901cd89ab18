import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { BackendError } from './backend.js';
import {
  type CommandName,
  checkExtendedReply,
  DesyncError,
  LineSplitter,
  rigErrorName,
  rprtCode,
} from './rigctld-protocol.js';

export interface RigctldConnectionOptions {
  host: string;
  port: number;
  /** A reply must arrive within this many ms of its request reaching the head of the line. Default 1000. */
  requestTimeoutMs?: number;
  /** TCP connect timeout in ms. Default 2000. */
  connectTimeoutMs?: number;
  /** First reconnect delay in ms, doubled after each failure up to backoffMaxMs. Default 250. */
  backoffInitialMs?: number;
  /** Default 1000: while clients wait, the gateway must be back within 2 s of rigctld (never more than 1 s between attempts). */
  backoffMaxMs?: number;
  /**
   * How many requests may be on the wire unanswered. Default 1, from measurement: rigctld 4.5.4 writes
   * each answer separately and leaves Nagle on, so a second answer waits for the ACK of the first,
   * which the client delays ~40 ms. A 7-command read pipelined took 44 ms against a local
   * `rigctld -m 1`, the same 7 one after another 0.8 ms (and 0.7 ms pipelined with TCP_QUICKACK, which
   * Node cannot set). Raise it only where the network round trip is longer than that stall.
   */
  pipelineDepth?: number;
  /** Requests waiting beyond this many are refused at once rather than queued without bound. Default 256. */
  maxQueue?: number;
  /** Runs after every TCP connect, before the link counts as connected; its requests pass `handshake`. */
  handshake(connection: RigctldConnection): Promise<void>;
}

export interface RequestOptions {
  /** Issued by the handshake: allowed before the link counts as connected. */
  handshake?: boolean;
  /**
   * Goes ahead of every request not yet written (behind other urgent ones, and behind what is already
   * on the wire): an unkey, or the read a freshly opened port waits for, never waits out a poll.
   */
  urgent?: boolean;
  /** Called when the request is written to the socket (performance.now()). */
  onWrite?: (atMs: number) => void;
  /** Urgent, and ahead of the other urgent requests too (a lone `v` completing a read in flight). */
  first?: boolean;
}

export interface ConnectionStats {
  requests: number;
  /** Requests that failed: refused by rigctld (RPRT n≠0), timed out, or lost with the connection. */
  failures: number;
  timeouts: number;
  /** Successful connections after the first. */
  reconnects: number;
  lastError: string | null;
  /** Round trip of the last answered request, from writing it to its last line. */
  lastRoundTripMs: number | null;
}

interface Request {
  line: string;
  /** 'line': one line answers it (the plain `\chk_vfo`); otherwise an extended answer to this command. */
  expect: CommandName | 'line';
  resolve: (values: string[]) => void;
  reject: (err: Error) => void;
  lines: string[];
  sentAt: number;
  urgent: boolean;
  onWrite?: (atMs: number) => void;
}

/** Longest answer accepted, in lines: `\dump_state` with `\chk_vfo` first is 59 lines on the dummy. */
const MAX_REPLY_LINES = 2000;

export interface RigctldConnectionEvents {
  connected: [];
  /** Always with why. */
  disconnected: [err: Error];
}

/**
 * One persistent TCP connection to rigctld with a FIFO of requests (DESIGN.md "backends/"). rigctld
 * answers a connection's commands in order, so the n-th answer belongs to the n-th request; every
 * extended answer names its command, which is checked, so a stray or missing answer is caught as a
 * desync instead of being handed to the wrong caller.
 *
 * A request whose answer does not arrive in time, a desync, an over-long line or unsolicited data
 * poison the stream: the socket is dropped, every queued request fails with a BackendError, and the
 * link reconnects with exponential backoff until close(). While not connected, requests fail at once.
 * Events: RigctldConnectionEvents.
 */
export class RigctldConnection extends EventEmitter<RigctldConnectionEvents> {
  private socket: Socket | null = null;
  private phase: 'idle' | 'connecting' | 'handshake' | 'up' | 'closed' = 'idle';
  /** Sent and awaiting an answer, oldest first. */
  private readonly inFlight: Request[] = [];
  /** Not yet written (only when pipelineDepth limits). */
  private readonly waiting: Request[] = [];
  private readonly splitter = new LineSplitter();
  private outBuffer = '';
  private flushScheduled = false;
  private headTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private everConnected = false;
  private connectWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private readonly counters: ConnectionStats = {
    requests: 0,
    failures: 0,
    timeouts: 0,
    reconnects: 0,
    lastError: null,
    lastRoundTripMs: null,
  };
  private readonly requestTimeoutMs: number;
  private readonly pipelineDepth: number;

  constructor(private readonly options: RigctldConnectionOptions) {
    super();
    this.requestTimeoutMs = options.requestTimeoutMs ?? 1000;
    this.pipelineDepth = Math.max(1, options.pipelineDepth ?? 1);
    this.backoffMs = options.backoffInitialMs ?? 250;
  }

  get connected(): boolean {
    return this.phase === 'up';
  }

  get address(): string {
    const { host, port } = this.options;
    return `${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  stats(): ConnectionStats {
    return { ...this.counters };
  }

  /**
   * Resolves when connected and the handshake is done. Rejects if the attempt under way fails; the
   * link keeps retrying in the background with backoff either way, until close().
   */
  connect(): Promise<void> {
    if (this.phase === 'closed') return Promise.reject(new BackendError('rigctld connection closed'));
    if (this.phase === 'up') return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.phase === 'idle' && this.reconnectTimer === null) this.open();
    return promise;
  }

  /**
   * Sends one line and resolves with the values of its answer (header and RPRT removed; the line
   * itself for 'line'). Rejects with BackendError carrying the RPRT code when rigctld refuses.
   */
  request(line: string, expect: CommandName | 'line', options: RequestOptions = {}): Promise<string[]> {
    const usable = this.phase === 'up' || (options.handshake === true && this.phase === 'handshake');
    if (!usable) {
      this.counters.failures++;
      return Promise.reject(new BackendError(`rigctld at ${this.address} not connected`));
    }
    if (this.waiting.length >= (this.options.maxQueue ?? 256)) {
      this.counters.failures++;
      return Promise.reject(new BackendError(`rigctld at ${this.address}: request queue full`));
    }
    this.counters.requests++;
    return new Promise<string[]>((resolve, reject) => {
      const request: Request = {
        line,
        expect,
        resolve,
        reject,
        lines: [],
        sentAt: 0,
        urgent: options.urgent === true || options.first === true,
        onWrite: options.onWrite,
      };
      const firstRoutine = options.first ? 0 : request.urgent ? this.waiting.findIndex((r) => !r.urgent) : -1;
      if (firstRoutine < 0) this.waiting.push(request);
      else this.waiting.splice(firstRoutine, 0, request);
      this.pump();
    });
  }

  /** Stops reconnecting, drops the socket and fails whatever is queued. */
  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const wasUp = this.phase === 'up';
    this.phase = 'closed';
    const err = new BackendError('rigctld connection closed');
    this.teardown(err);
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(err);
    if (wasUp) this.emit('disconnected', err);
  }

  // ---- connection lifecycle ----

  private open(): void {
    this.phase = 'connecting';
    const socket = netConnect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.setTimeout(this.options.connectTimeoutMs ?? 2000, () => {
      this.fail(socket, new BackendError(`connect to rigctld at ${this.address} timed out`));
    });
    socket.on('connect', () => {
      socket.setTimeout(0);
      this.phase = 'handshake';
      this.options.handshake(this).then(
        () => this.onHandshakeDone(socket),
        (err: Error) => this.fail(socket, err),
      );
    });
    socket.on('data', (chunk: string) => this.onData(socket, chunk));
    socket.on('error', (err) =>
      this.fail(socket, new BackendError(`rigctld at ${this.address}: ${err.message}`)),
    );
    socket.on('close', () =>
      this.fail(socket, new BackendError(`rigctld at ${this.address} closed the connection`)),
    );
  }

  private onHandshakeDone(socket: Socket): void {
    if (socket !== this.socket || this.phase !== 'handshake') return;
    this.phase = 'up';
    this.backoffMs = this.options.backoffInitialMs ?? 250;
    if (this.everConnected) this.counters.reconnects++;
    this.everConnected = true;
    for (const waiter of this.connectWaiters.splice(0)) waiter.resolve();
    this.emit('connected');
  }

  /** The socket failed or the stream is poisoned: drop it, fail everything, schedule a reconnect. */
  private fail(socket: Socket, err: Error): void {
    if (socket !== this.socket || this.phase === 'closed') return;
    this.counters.lastError = err.message;
    const wasUp = this.phase === 'up';
    this.teardown(err);
    this.phase = 'idle';
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(err);
    if (wasUp) this.emit('disconnected', err);
    this.scheduleReconnect();
  }

  private teardown(err: Error): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', () => {}); // a late error on a dropped socket must not become an uncaught exception
      socket.destroy();
    }
    if (this.headTimer) clearTimeout(this.headTimer);
    this.headTimer = null;
    this.outBuffer = '';
    this.splitter.reset();
    const pending = [...this.inFlight.splice(0), ...this.waiting.splice(0)];
    for (const request of pending) {
      this.counters.failures++;
      request.reject(new BackendError(`${describe(request)} failed: ${err.message}`));
    }
  }

  private scheduleReconnect(): void {
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoffMaxMs ?? 1000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.phase === 'idle') this.open();
    }, delay);
  }

  // ---- requests and answers ----

  /** Moves waiting requests onto the wire up to the pipeline depth; writes are batched per tick. */
  private pump(): void {
    while (this.waiting.length > 0 && this.inFlight.length < this.pipelineDepth) {
      const request = this.waiting.shift()!;
      request.sentAt = performance.now();
      request.onWrite?.(request.sentAt);
      this.inFlight.push(request);
      this.outBuffer += request.line;
      if (this.inFlight.length === 1) this.armHeadTimer();
    }
    if (this.outBuffer && !this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => {
        this.flushScheduled = false;
        if (this.socket && this.outBuffer) this.socket.write(this.outBuffer);
        this.outBuffer = '';
      });
    }
  }

  /** The oldest request in flight must be answered within the timeout of reaching the head. */
  private armHeadTimer(): void {
    if (this.headTimer) clearTimeout(this.headTimer);
    this.headTimer = null;
    const head = this.inFlight[0];
    const socket = this.socket;
    if (!head || !socket) return;
    this.headTimer = setTimeout(() => {
      this.counters.timeouts++;
      this.fail(
        socket,
        new BackendError(`no answer to ${describe(head)} within ${this.requestTimeoutMs} ms`),
      );
    }, this.requestTimeoutMs);
  }

  private onData(socket: Socket, chunk: string): void {
    if (socket !== this.socket) return;
    let lines: string[];
    try {
      lines = this.splitter.push(chunk);
    } catch (err) {
      this.fail(socket, err as Error);
      return;
    }
    for (const line of lines) {
      if (socket !== this.socket) return; // poisoned by an earlier line of this chunk
      this.onLine(socket, line);
    }
  }

  private onLine(socket: Socket, line: string): void {
    const head = this.inFlight[0];
    if (!head) {
      this.fail(socket, new DesyncError(`unsolicited line ${JSON.stringify(line.slice(0, 80))}`));
      return;
    }
    head.lines.push(line);
    if (head.expect === 'line') {
      this.settle(head, () => head.resolve(head.lines));
      return;
    }
    if (rprtCode(line) === null) {
      if (head.lines.length > MAX_REPLY_LINES) {
        this.fail(socket, new DesyncError(`answer to ${describe(head)} exceeds ${MAX_REPLY_LINES} lines`));
      }
      return;
    }
    let reply: ReturnType<typeof checkExtendedReply>;
    try {
      reply = checkExtendedReply(head.expect, head.lines);
    } catch (err) {
      this.fail(socket, err as Error);
      return;
    }
    if (reply.code === 0) {
      this.settle(head, () => head.resolve(reply.values));
    } else {
      const err = new BackendError(
        `rigctld refused ${describe(head)}: RPRT ${reply.code} (${rigErrorName(reply.code)})`,
        reply.code,
      );
      this.counters.failures++;
      this.counters.lastError = err.message;
      this.settle(head, () => head.reject(err));
    }
  }

  /** The head request is answered: take it off, answer the caller, start the next one's clock. */
  private settle(head: Request, answer: () => void): void {
    this.inFlight.shift();
    this.counters.lastRoundTripMs = performance.now() - head.sentAt;
    this.armHeadTimer();
    this.pump();
    answer();
  }
}

function describe(request: Request): string {
  return `'${request.line.trimEnd()}'`;
}
