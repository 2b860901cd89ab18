import {
  children,
  escapeXml,
  type Node,
  only,
  parseXml,
  tagOf,
  textOf,
  XmlRpcProtocolError,
} from '../../backends/xmlrpc.js';

/**
 * The flrig door's XML-RPC on the wire, as flrig 1.4.7 writes it (research/flrig.md §3.4): strings
 * untyped, integers `<i4>`, arrays, `<value></value>` for most setters, CRLF line ends and a tab before
 * the value, and faults as a struct of faultCode and faultString. Calls are read with their parameter
 * types, because flrig answers a frequency that is not a `<double>` with fault -1 "type error".
 */

/** A parameter as the client typed it. */
export type Param =
  | { type: 'double' | 'i4'; value: number }
  | { type: 'string' | 'untyped'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'array'; value: Param[] }
  | { type: 'struct'; value: Record<string, Param> };

export interface Call {
  method: string;
  params: Param[];
}

/** What a method answers: a string (untyped), an int, an array, nothing (`<value></value>`). */
export type Result = string | { i4: number } | Result[] | null | { xml: string };

export class Fault {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

function param(value: Node): Param {
  const inner = children(value, 'value');
  const typed = inner.find((n) => tagOf(n) !== undefined);
  if (!typed) return { type: 'untyped', value: textOf(inner) };
  const tag = tagOf(typed)!;
  const content = children(typed, tag);
  switch (tag) {
    case 'string':
      return { type: 'string', value: textOf(content) };
    case 'i4':
    case 'int':
    case 'double': {
      const n = Number(textOf(content));
      if (textOf(content).trim() === '' || !Number.isFinite(n)) {
        throw new XmlRpcProtocolError(`<${tag}> is not a number`);
      }
      return { type: tag === 'double' ? 'double' : 'i4', value: n };
    }
    case 'boolean':
      return { type: 'boolean', value: textOf(content) === '1' };
    case 'array':
      return {
        type: 'array',
        value: children(only(content, 'data', '<array>'), 'data')
          .filter((n) => tagOf(n) === 'value')
          .map(param),
      };
    case 'struct': {
      const members: Record<string, Param> = {};
      for (const member of content.filter((n) => tagOf(n) === 'member')) {
        const parts = children(member, 'member');
        members[textOf(children(only(parts, 'name', '<member>'), 'name'))] = param(
          only(parts, 'value', '<member>'),
        );
      }
      return { type: 'struct', value: members };
    }
    default:
      throw new XmlRpcProtocolError(`unknown XML-RPC type <${tag}>`);
  }
}

/**
 * A call with no parameters, the bulk of every poll (`rig.get_vfo`, …), in the exact subset of the
 * grammar it uses: read without building a tree (a parse costs more than the whole answer otherwise).
 */
const BARE_CALL =
  /^\s*(?:<\?[^>]*\?>\s*)*<methodCall>\s*<methodName>([A-Za-z0-9_.]+)<\/methodName>\s*(?:<params\s*\/>|<params>\s*<\/params>)?\s*<\/methodCall>\s*$/;

/** A methodCall; XmlRpcProtocolError when it is not one. `<params/>` and no `<params>` are both no parameters. */
export function decodeCall(xml: string): Call {
  const bare = BARE_CALL.exec(xml);
  if (bare) return { method: bare[1]!, params: [] };
  const call = children(only(parseXml(xml), 'methodCall', 'the request'), 'methodCall');
  const method = textOf(children(only(call, 'methodName', '<methodCall>'), 'methodName')).trim();
  if (method === '') throw new XmlRpcProtocolError('empty <methodName>');
  const paramsNode = call.find((n) => tagOf(n) === 'params');
  const params = paramsNode
    ? children(paramsNode, 'params')
        .filter((n) => tagOf(n) === 'param')
        .map((p) => param(only(children(p, 'param'), 'value', '<param>')))
    : [];
  return { method, params };
}

export function encodeValue(result: Result): string {
  if (result === null) return '<value></value>';
  if (typeof result === 'string') return `<value>${escapeXml(result)}</value>`;
  if (Array.isArray(result))
    return `<value><array><data>${result.map(encodeValue).join('')}</data></array></value>`;
  // A multicall entry that failed: its fault struct, already encoded.
  if ('xml' in result) return result.xml;
  return `<value><i4>${result.i4}</i4></value>`;
}

export function faultValue(fault: Fault): string {
  return (
    '<value><struct><member><name>faultCode</name>' +
    `<value><i4>${fault.code}</i4></value></member><member><name>faultString</name>` +
    `<value>${escapeXml(fault.message)}</value></member></struct></value>`
  );
}

/** A methodResponse body, byte for byte as flrig's XmlRpc++ writes it. */
export function encodeResponse(outcome: Result | Fault): string {
  if (outcome instanceof Fault) {
    return `<?xml version="1.0"?>\r\n<methodResponse><fault>\r\n\t${faultValue(outcome)}\r\n</fault></methodResponse>\r\n`;
  }
  return `<?xml version="1.0"?>\r\n<methodResponse><params><param>\r\n\t${encodeValue(outcome)}\r\n</param></params></methodResponse>\r\n`;
}
