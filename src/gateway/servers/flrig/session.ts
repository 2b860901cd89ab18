import type { Rig } from '../../../model/rig.js';
import type { Emulator, FrameEvent } from '../../../rigs/emulator.js';
import { XmlRpcProtocolError } from '../../backends/xmlrpc.js';
import { METHODS, RADIO_FREE } from './methods.js';
import { type Call, decodeCall, encodeResponse, Fault, faultValue, type Param, type Result } from './wire.js';

export interface FlrigSessionOptions {
  rig: Rig;
  /** Writes one response body (the HTTP layer frames it). */
  write(bytes: Uint8Array): void;
  onFrame?(event: FrameEvent): void;
}

const SYSTEM_METHODS = ['system.listMethods', 'system.methodHelp', 'system.multicall'];

/**
 * flrig's XML-RPC for one network client: each `receive` is one request body (the door's HTTP layer
 * cuts them), each answer one response body. An Emulator like a port's, so the client runs through a
 * PortSession (open rule, settle window, PTT ownership and release).
 */
export class FlrigSession implements Emulator {
  /** A client waits for every answer: while the radio is unreachable it gets a fault, not silence. */
  readonly answersWhileRadioUnknown = true;

  constructor(private readonly options: FlrigSessionOptions) {}

  receive(bytes: Uint8Array): void {
    const request = Buffer.from(bytes).toString('utf8');
    let call: Call | undefined;
    let outcome: Result | Fault;
    try {
      call = decodedCall(bytes, request);
      outcome = this.dispatch(call);
    } catch (err) {
      if (!(err instanceof XmlRpcProtocolError)) throw err;
      outcome = new Fault(-1, `parse error: ${err.message}`);
    }
    const reply = Buffer.from(encodeResponse(outcome), 'utf8');
    this.options.write(reply);
    this.options.onFrame?.({
      request: Buffer.from(call ? `${call.method}(${call.params.map(show).join(', ')})` : request),
      reply,
      kind: kindOf(call, outcome),
      meaning: call?.method ?? 'not an XML-RPC call',
    });
  }

  reset(): void {
    // flrig's protocol keeps no state per client.
  }

  dropInput(): void {
    // Each receive is one whole request: nothing is ever half read.
  }

  stateChanged(): void {
    // XML-RPC sends nothing unsolicited.
  }

  private dispatch(call: Call): Result | Fault {
    switch (call.method) {
      case 'system.listMethods':
        return [...SYSTEM_METHODS, ...Object.keys(METHODS)].sort();
      case 'system.methodHelp':
        return '';
      case 'system.multicall':
        return this.multicall(call.params);
    }
    const method = METHODS[call.method];
    if (!method) return new Fault(-1, `${call.method}: unknown method name`);
    if (!RADIO_FREE.has(call.method) && !this.options.rig.online())
      return new Fault(-1, 'radio not reachable');
    return method({ rig: this.options.rig }, call.params);
  }

  /** Each call's result as a one-element array, or its fault struct in place (XML-RPC multicall). */
  private multicall(params: Param[]): Result | Fault {
    const [list] = params;
    if (list?.type !== 'array') return new Fault(-1, 'type error');
    return list.value.map((entry): Result => {
      const name = entry.type === 'struct' ? entry.value.methodName : undefined;
      const args = entry.type === 'struct' ? entry.value.params : undefined;
      if (!name || (name.type !== 'string' && name.type !== 'untyped') || name.value === 'system.multicall') {
        return { xml: faultValue(new Fault(-1, 'type error')) };
      }
      const result = this.dispatch({ method: name.value, params: args?.type === 'array' ? args.value : [] });
      return result instanceof Fault ? { xml: faultValue(result) } : [result];
    });
  }
}

/**
 * The port's shadow session (which learns what a request will read) and the real one get the very same
 * bytes object, one after the other: the second reuses the first's parse.
 */
const parsed = new WeakMap<Uint8Array, Call>();
function decodedCall(bytes: Uint8Array, request: string): Call {
  let call = parsed.get(bytes);
  if (!call) {
    call = decodeCall(request);
    parsed.set(bytes, call);
  }
  return call;
}

function show(param: Param): string {
  if (param.type === 'array') return `[${param.value.map(show).join(', ')}]`;
  if (param.type === 'struct')
    return `{${Object.entries(param.value)
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join(', ')}}`;
  return String(param.value);
}

function kindOf(call: Call | undefined, outcome: Result | Fault): FrameEvent['kind'] {
  if (!call) return 'malformed';
  if (outcome instanceof Fault) {
    if (outcome.message.endsWith('unknown method name')) return 'unknown';
    if (outcome.message === 'radio not reachable') return 'unavailable';
    return outcome.message === 'type error' ? 'malformed' : 'set';
  }
  return /\.(set|mod|swap|tune)/.test(call.method) ? 'set' : 'query';
}
