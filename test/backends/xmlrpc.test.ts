import { describe, expect, it } from 'vitest';
import { FlrigModeMap, modeFromFlrig } from '../../src/gateway/backends/flrig-modes.js';
import {
  decodeResponse,
  encodeCall,
  encodeMulticall,
  multicallResults,
  XmlRpcFault,
  XmlRpcProtocolError,
} from '../../src/gateway/backends/xmlrpc.js';

// Answers exactly as flrig 1.4.7 writes them (research/flrig.md §3.4), CRLF and tabs included.
const answer = (value: string) =>
  `<?xml version="1.0"?>\r\n<methodResponse><params><param>\r\n\t<value>${value}</value>\r\n</param></params></methodResponse>\r\n`;

describe('XML-RPC for flrig', () => {
  it('sends frequencies as <double>, integers as <i4>, strings untyped and escaped', () => {
    expect(encodeCall('rig.set_vfoA', [{ double: 7_074_000 }])).toContain(
      '<methodName>rig.set_vfoA</methodName><params><param><value><double>7074000</double></value></param></params>',
    );
    expect(encodeCall('rig.set_ptt', [{ i4: 1 }])).toContain('<value><i4>1</i4></value>');
    expect(encodeCall('rig.set_modeA', ['USB-D'])).toContain('<value>USB-D</value>');
    expect(encodeCall('rig.cat_string', ['<&>'])).toContain('<value>&lt;&amp;&gt;</value>');
    expect(() => encodeCall('x', [{ i4: 1.5 }])).toThrow(RangeError);
    expect(() => encodeCall('x', [{ double: Number.NaN }])).toThrow(RangeError);
  });

  it('reads untyped strings, <i4>, arrays and empty values', () => {
    expect(decodeResponse(answer('14074000'))).toBe('14074000');
    expect(decodeResponse(answer('<i4>100</i4>'))).toBe(100);
    expect(decodeResponse(answer(''))).toBe('');
    expect(decodeResponse(answer('<array><data><value>2400</value><value></value></data></array>'))).toEqual([
      '2400',
      '',
    ]);
  });

  it('turns a fault into an XmlRpcFault and anything else into a protocol error', () => {
    const fault =
      '<?xml version="1.0"?>\r\n<methodResponse><fault>\r\n\t<value><struct><member><name>faultCode</name><value><i4>-1</i4></value></member><member><name>faultString</name><value>rig.set_bwA: unknown method name</value></member></struct></value>\r\n</fault></methodResponse>\r\n';
    expect(() => decodeResponse(fault)).toThrow(XmlRpcFault);
    expect(() => decodeResponse(fault)).toThrow('unknown method name');
    expect(() => decodeResponse('HELLO')).toThrow(XmlRpcProtocolError);
    expect(() => decodeResponse('<html><body>404</body></html>')).toThrow(XmlRpcProtocolError);
    expect(() => decodeResponse(answer('<i4>twelve</i4>'))).toThrow(XmlRpcProtocolError);
  });

  it('builds a multicall and splits its results, a failed call becoming a fault in place', () => {
    const body = encodeMulticall(['rig.get_vfoA', 'rig.get_modeB']);
    expect(body).toContain('<methodName>system.multicall</methodName>');
    expect(body.match(/<name>methodName<\/name>/g)).toHaveLength(2);
    const value = decodeResponse(
      answer(
        '<array><data><value><array><data><value>14074000</value></data></array></value>' +
          '<value><struct><member><name>faultCode</name><value><i4>-1</i4></value></member><member><name>faultString</name><value>nope</value></member></struct></value></data></array>',
      ),
    );
    const [freq, fault] = multicallResults(value, 2);
    expect(freq).toBe('14074000');
    expect(fault).toBeInstanceOf(XmlRpcFault);
    expect(() => multicallResults(value, 3)).toThrow(XmlRpcProtocolError);
  });
});

describe('flrig mode names', () => {
  it('maps every transceiver family’s names, data modes losslessly', () => {
    expect(modeFromFlrig('USB-D')).toBe('PKTUSB');
    expect(modeFromFlrig('DATA-U')).toBe('PKTUSB');
    expect(modeFromFlrig('LSB-D')).toBe('PKTLSB');
    expect(modeFromFlrig('DATA-FM')).toBe('PKTFM');
    expect(modeFromFlrig('FSK')).toBe('RTTY');
    expect(modeFromFlrig('RTTY-U')).toBe('RTTYR');
    expect(modeFromFlrig('CW-L')).toBe('CWR');
    expect(modeFromFlrig('C4FM')).toBeUndefined();
  });

  it("picks the transceiver's own name for a mode, the plain one before a narrow variant", () => {
    const ft991a = new FlrigModeMap(
      'LSB USB CW-U FM AM RTTY-L CW-L DATA-L RTTY-U DATA-FM FM-N DATA-U AM-N C4FM'.split(' '),
    );
    expect(ft991a.nameFor('PKTUSB')).toBe('DATA-U');
    expect(ft991a.nameFor('CW')).toBe('CW-U');
    expect(ft991a.nameFor('FM')).toBe('FM');
    const ts2000 = new FlrigModeMap('LSB USB CW FM AM FSK CW-R FSK-R'.split(' '));
    expect(ts2000.nameFor('RTTY')).toBe('FSK');
    expect(ts2000.nameFor('PKTUSB')).toBeUndefined();
  });
});
