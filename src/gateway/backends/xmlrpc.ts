import { XMLParser } from 'fast-xml-parser';

/**
 * The XML-RPC values flrig exchanges (research/flrig.md §3.4): frequencies go out only as `<double>`,
 * integers as `<i4>`, strings untyped; answers come back as untyped strings, `<i4>`, arrays, or a
 * fault. Parsing is fast-xml-parser's; this module only maps its tree onto values.
 */
export type XmlRpcValue = string | number | boolean | XmlRpcValue[] | { [key: string]: XmlRpcValue };

/** A parameter with its wire type: flrig faults on the wrong one (`type error`). */
export type XmlRpcParam = { double: number } | { i4: number } | string;

export class XmlRpcFault extends Error {
  constructor(
    readonly code: number,
    readonly faultString: string,
  ) {
    super(`fault ${code}: ${faultString}`);
    this.name = 'XmlRpcFault';
  }
}

/** The answer was not XML-RPC at all (a wrong server, a broken reply). */
export class XmlRpcProtocolError extends Error {
  override name = 'XmlRpcProtocolError';
}

export const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

function encodeParam(param: XmlRpcParam): string {
  if (typeof param === 'string') return `<value>${escapeXml(param)}</value>`;
  if ('double' in param) {
    if (!Number.isFinite(param.double)) throw new RangeError(`not a finite double: ${param.double}`);
    return `<value><double>${param.double}</double></value>`;
  }
  if (!Number.isSafeInteger(param.i4)) throw new RangeError(`not an integer: ${param.i4}`);
  return `<value><i4>${param.i4}</i4></value>`;
}

export function encodeCall(method: string, params: XmlRpcParam[] = []): string {
  const body = params.map((p) => `<param>${encodeParam(p)}</param>`).join('');
  return `<?xml version="1.0"?>\r\n<methodCall><methodName>${escapeXml(method)}</methodName><params>${body}</params></methodCall>\r\n`;
}

/** `system.multicall` of parameterless calls: one round trip for a whole poll. */
export function encodeMulticall(methods: string[]): string {
  const calls = methods
    .map(
      (m) =>
        `<value><struct><member><name>methodName</name><value>${escapeXml(m)}</value></member>` +
        '<member><name>params</name><value><array><data></data></array></value></member></struct></value>',
    )
    .join('');
  return `<?xml version="1.0"?>\r\n<methodCall><methodName>system.multicall</methodName><params><param><value><array><data>${calls}</data></array></value></param></params></methodCall>\r\n`;
}

/** fast-xml-parser's ordered tree (exported for the flrig door, which reads calls with the same parser). */
export type Node = Record<string, Node[] | string> & { '#text'?: string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export function tagOf(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text');
}

export function children(node: Node, tag: string): Node[] {
  const value = node[tag];
  return Array.isArray(value) ? value : [];
}

export function only(nodes: Node[], tag: string, where: string): Node {
  const found = nodes.find((n) => tagOf(n) === tag);
  if (!found) throw new XmlRpcProtocolError(`no <${tag}> in ${where}`);
  return found;
}

export function textOf(nodes: Node[]): string {
  return nodes.map((n) => (typeof n['#text'] === 'string' ? n['#text'] : '')).join('');
}

function decodeValue(value: Node): XmlRpcValue {
  const inner = children(value, 'value');
  const typed = inner.find((n) => tagOf(n) !== undefined);
  if (!typed) return textOf(inner); // untyped: a string
  const tag = tagOf(typed)!;
  const content = children(typed, tag);
  switch (tag) {
    case 'string':
      return textOf(content);
    case 'i4':
    case 'int':
    case 'double': {
      const n = Number(textOf(content));
      if (!Number.isFinite(n)) throw new XmlRpcProtocolError(`<${tag}> is not a number: ${textOf(content)}`);
      return n;
    }
    case 'boolean':
      return textOf(content) === '1';
    case 'array':
      return children(only(content, 'data', '<array>'), 'data')
        .filter((n) => tagOf(n) === 'value')
        .map(decodeValue);
    case 'struct': {
      const out: Record<string, XmlRpcValue> = {};
      for (const member of content.filter((n) => tagOf(n) === 'member')) {
        const parts = children(member, 'member');
        out[textOf(children(only(parts, 'name', '<member>'), 'name'))] = decodeValue(
          only(parts, 'value', '<member>'),
        );
      }
      return out;
    }
    default:
      throw new XmlRpcProtocolError(`unknown XML-RPC type <${tag}>`);
  }
}

/** Parses XML-RPC text into the ordered tree; XmlRpcProtocolError if it is not XML. */
export function parseXml(xml: string): Node[] {
  try {
    return parser.parse(xml) as Node[];
  } catch (err) {
    throw new XmlRpcProtocolError(`not XML: ${(err as Error).message}`);
  }
}

/** The value of a methodResponse; a fault is thrown as XmlRpcFault, anything else malformed as XmlRpcProtocolError. */
export function decodeResponse(xml: string): XmlRpcValue {
  const doc = parseXml(xml);
  const response = children(only(doc, 'methodResponse', 'the answer'), 'methodResponse');
  const fault = response.find((n) => tagOf(n) === 'fault');
  if (fault) throw faultFrom(decodeValue(only(children(fault, 'fault'), 'value', '<fault>')));
  const params = children(only(response, 'params', '<methodResponse>'), 'params');
  const param = children(only(params, 'param', '<params>'), 'param');
  return decodeValue(only(param, 'value', '<param>'));
}

function faultFrom(value: XmlRpcValue): XmlRpcFault {
  const struct = typeof value === 'object' && !Array.isArray(value) ? value : {};
  return new XmlRpcFault(Number(struct.faultCode ?? -1), String(struct.faultString ?? 'fault'));
}

/**
 * The results of a `system.multicall`: each a value, or an XmlRpcFault for a call that failed
 * (flrig answers those as a fault struct in place of the one-element array).
 */
export function multicallResults(value: XmlRpcValue, count: number): (XmlRpcValue | XmlRpcFault)[] {
  if (!Array.isArray(value) || value.length !== count) {
    throw new XmlRpcProtocolError(
      `multicall answered ${Array.isArray(value) ? value.length : 'no'} results for ${count} calls`,
    );
  }
  return value.map((result) => {
    if (Array.isArray(result) && result.length === 1) return result[0]!;
    if (typeof result === 'object' && !Array.isArray(result) && 'faultCode' in result)
      return faultFrom(result);
    throw new XmlRpcProtocolError('multicall result is neither [value] nor a fault');
  });
}
