/**
 * FlrigBackend's error paths against an in-process XML-RPC fake (the real flrig is driven by
 * test/contract/flrig.test.ts; this fake only exists to make flrig misbehave on demand).
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/gateway/backends/backend.js';
import { FlrigBackend } from '../../src/gateway/backends/flrig-backend.js';
import { until } from '../support/gateway-harness.js';

const value = (v: string) =>
  `<?xml version="1.0"?>\r\n<methodResponse><params><param>\r\n\t<value>${v}</value>\r\n</param></params></methodResponse>\r\n`;
const array = (items: string[]) =>
  `<array><data>${items.map((i) => `<value>${i}</value>`).join('')}</data></array>`;

/** Answers a one-result multicall one byte every 0.5 s (a drip no idle timeout ever ends); returns its timer. */
function dripAnswer(res: ServerResponse): NodeJS.Timeout {
  const answer = Buffer.from(value(array([array(['A'])])));
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': answer.length });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent >= answer.length) clearInterval(timer);
    else res.write(answer.subarray(sent, ++sent));
  }, 500);
  return timer;
}

/** A scripted flrig: method → answer body (the <value> content), or a function for special replies. */
class FakeFlrig {
  server: Server;
  calls: string[] = [];
  answers: Record<string, string> = {
    'main.get_version': '1.4.7',
    'rig.get_xcvr': 'IC-7300',
    'rig.get_modes': array('LSB USB AM FM CW CW-R RTTY RTTY-R LSB-D USB-D AM-D FM-D'.split(' ')),
    'rig.get_maxpwr': '<i4>100</i4>',
    'rig.get_AB': 'B',
    'rig.get_vfoA': '14074000',
    'rig.get_vfoB': '7074000',
    'rig.get_modeA': 'USB-D',
    'rig.get_modeB': 'CW-R',
    'rig.get_bwA': array(['3000', '']),
    'rig.get_bwB': array(['200', '700']),
    'rig.get_split': '<i4>2</i4>',
    'rig.get_ptt': '<i4>0</i4>',
    'rig.get_power': '<i4>50</i4>',
    'rig.get_DBM': '-73',
    'rig.set_modeA': '<i4>1</i4>',
  };
  /** Replaces the whole HTTP answer for the next request. */
  raw: string | null = null;

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const method = /<methodName>([^<]+)<\/methodName>/.exec(body)?.[1] ?? '';
        this.calls.push(method);
        if (this.raw !== null) {
          const raw = this.raw;
          this.raw = null;
          res.end(raw);
          return;
        }
        if (method === 'system.multicall') {
          const methods = [...body.matchAll(/<name>methodName<\/name><value>([^<]+)<\/value>/g)].map(
            (m) => m[1]!,
          );
          res.end(value(array(methods.map((m) => array([this.answers[m] ?? ''])))));
          return;
        }
        res.end(value(this.answers[method] ?? ''));
      });
    });
  }

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }
}

describe('FlrigBackend', () => {
  let fake: FakeFlrig;
  let backend: FlrigBackend;
  const start = async () => {
    fake = new FakeFlrig();
    const port = await fake.listen();
    backend = new FlrigBackend({ host: '127.0.0.1', port, backoffInitialMs: 20, backoffMaxMs: 50 });
    return backend;
  };
  afterEach(async () => {
    await backend?.close();
    fake?.server.close();
  });

  it('reads the whole state in one multicall, in Hamlib terms', async () => {
    await (await start()).connect();
    fake.calls.length = 0;
    const state = await backend.read();
    expect(fake.calls).toEqual(['system.multicall']);
    expect(state).toMatchObject({
      vfo: 'VFOB',
      freqA: 14_074_000,
      freqB: 7_074_000,
      mode: 'PKTUSB',
      passband: 3000,
      modeB: 'CWR',
      passbandB: 500,
      split: true,
      txVfo: 'VFOA',
      ptt: false,
      rfPower: 0.5,
      strengthDb: 0,
    });
  });

  it("refuses a mode the transceiver lacks, naming flrig's modes, and sends nothing", async () => {
    await (await start()).connect();
    fake.answers['rig.get_modes'] = array(['LSB', 'USB', 'CW', 'FSK']);
    await backend.close();
    backend = new FlrigBackend({ host: '127.0.0.1', port: (fake.server.address() as AddressInfo).port });
    await backend.connect();
    fake.calls.length = 0;
    await expect(backend.setMode('VFOA', 'PKTUSB', 0)).rejects.toThrow(
      /no mode for PKTUSB \(its modes: LSB USB CW FSK\)/,
    );
    expect(fake.calls).toEqual([]);
  });

  it('treats the empty answer flrig gives to an unknown mode name as a refusal', async () => {
    await (await start()).connect();
    fake.answers['rig.set_modeA'] = '';
    await expect(backend.setMode('VFOA', 'USB', 0)).rejects.toThrow(BackendError);
    expect(backend.connected).toBe(true);
  });

  it('a fault refuses the call but keeps the link', async () => {
    await (await start()).connect();
    fake.server.removeAllListeners('request');
    fake.server.on('request', (_req, res) => {
      res.end(
        '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>-1</i4></value></member><member><name>faultString</name><value>type error</value></member></struct></value></fault></methodResponse>',
      );
    });
    await expect(backend.setPtt(true)).rejects.toThrow('flrig refused: type error');
    expect(backend.connected).toBe(true);
  });

  it('drops and re-opens the link when flrig answers garbage', async () => {
    await (await start()).connect();
    const lost = once(backend, 'disconnected');
    fake.raw = 'this is not xml at all';
    await expect(backend.read()).rejects.toThrow(/not XML-RPC/);
    await lost;
    await until(() => backend.connected, 2000, 'reconnected');
    expect((await backend.read()).freqA).toBe(14_074_000);
  });

  it('drops the link on an endless answer instead of buffering it', async () => {
    await (await start()).connect();
    const lost = once(backend, 'disconnected');
    fake.server.removeAllListeners('request');
    fake.server.on('request', (_req, res) => {
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (res.write(chunk)) {
          /* keep writing until the socket pushes back */
        }
      };
      res.on('drain', pump);
      res.on('close', () => res.off('drain', pump));
      pump();
    });
    await expect(backend.read()).rejects.toThrow(/longer than/);
    await lost;
  });

  it("refuses a VFO change while transmitting at once instead of queueing behind flrig's wait for RX", async () => {
    await (await start()).connect();
    fake.answers['rig.get_ptt'] = '<i4>1</i4>';
    await backend.read();
    fake.calls.length = 0;
    await expect(backend.selectVfo('VFOA')).rejects.toThrow('while transmitting');
    expect(fake.calls).toEqual([]);
    expect(backend.connected).toBe(true);
    fake.answers['rig.get_ptt'] = '<i4>0</i4>';
    await backend.read();
    await backend.selectVfo('VFOA');
    expect(fake.calls.at(-1)).toBe('rig.set_AB');
  });

  it('holds a whole answer to a 3 s deadline: a drip of one byte per 0.5 s drops the link in time', async () => {
    await (await start()).connect();
    // Fake only for the drip: a real flrig cannot be made to answer this slowly. One byte every 0.5 s
    // never lets the socket go idle, so only a deadline on the whole answer ends the wait.
    const normal = fake.server.listeners('request');
    fake.server.removeAllListeners('request');
    const timers = new Set<NodeJS.Timeout>();
    fake.server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        timers.add(dripAnswer(res));
      });
    });
    const lost = once(backend, 'disconnected');
    const started = Date.now();
    const err = await backend.read().catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    for (const timer of timers) clearInterval(timer);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/no complete answer within 3000 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(4000);
    await lost;
    expect(backend.connected).toBe(false);
    // flrig answers normally again: the link is rebuilt and reads work.
    fake.server.removeAllListeners('request');
    for (const listener of normal) fake.server.on('request', listener as () => void);
    await until(() => backend.connected, 3000, 'reconnected');
    expect((await backend.read()).freqA).toBe(14_074_000);
  }, 15_000);

  it('sends an unkey at once while a poll answer drips in, on a connection of its own', async () => {
    await (await start()).connect();
    // Fake only for the drip (as above): the poll's multicall drips; any other call answers at once.
    fake.server.removeAllListeners('request');
    const timers = new Set<NodeJS.Timeout>();
    fake.server.on('request', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const method = /<methodName>([^<]+)<\/methodName>/.exec(body)?.[1] ?? '';
        fake.calls.push(method);
        if (method !== 'system.multicall') {
          res.end(value('<i4>0</i4>'));
          return;
        }
        timers.add(dripAnswer(res));
      });
    });
    const poll = backend.read().catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the poll is on the wire, dripping
    const started = Date.now();
    await backend.setPtt(false);
    expect(Date.now() - started).toBeLessThan(500);
    expect(fake.calls.at(-1)).toBe('rig.set_ptt');
    expect(await poll).toBeInstanceOf(BackendError); // the drip still ends at its deadline
    for (const timer of timers) clearInterval(timer);
  }, 15_000);

  it('rejects frequencies flrig answers that are not safe whole Hz, instead of passing them on', async () => {
    await (await start()).connect();
    for (const bad of [
      '<double>1e300</double>',
      '<double>1e20</double>',
      '99999999999999999999999',
      '-14074000',
      '<i4>-5</i4>',
      'NaN',
      '1e7',
    ]) {
      fake.answers['rig.get_vfoA'] = bad;
      const err = await backend.read().catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(BackendError);
      expect((err as Error).message, bad).toMatch(/frequency that is not one/);
    }
    // `<double>NaN</double>` is not XML-RPC at all: rejected too (as a broken answer, the link reopens).
    fake.answers['rig.get_vfoA'] = '<double>NaN</double>';
    await expect(backend.read()).rejects.toBeInstanceOf(BackendError);
    fake.answers['rig.get_vfoA'] = '<double>14074000.000000</double>';
    await until(() => backend.connected, 3000, 'reconnected');
    expect((await backend.read()).freqA).toBe(14_074_000);
  });

  it('treats a width that is not safe whole Hz as unreadable: the passband keeps its last value', async () => {
    await (await start()).connect();
    expect((await backend.read()).passband).toBe(3000);
    for (const bad of [
      ['1e300', ''],
      ['99999999999999999999999', ''],
      ['-3000', ''],
      ['200', '1e20'],
    ]) {
      fake.answers['rig.get_bwA'] = array(bad);
      const state = await backend.read();
      expect(state.passband, bad.join(',')).toBe(3000);
      expect(state.freqA).toBe(14_074_000); // the rest of the read is good
    }
  });

  it('a multicall answered with no results or fewer than asked fails the read, keeping the link', async () => {
    await (await start()).connect();
    for (const raw of [
      value(array([])),
      value(array([array(['A']), array(['14074000'])])),
      value('<i4>0</i4>'),
    ]) {
      fake.raw = raw;
      const err = await backend.read().catch((e: unknown) => e);
      expect(err, raw).toBeInstanceOf(BackendError);
      expect((err as Error).message).toMatch(/malformed answer/);
      expect(backend.connected).toBe(true);
    }
    expect((await backend.read()).freqA).toBe(14_074_000);
  });

  it('reports no frequency ranges: flrig does not say, the port profile applies', async () => {
    await (await start()).connect();
    expect(backend.frequencyRanges()).toBeNull();
  });

  it('does not count an offline flrig (no transceiver) as connected', async () => {
    const b = await start();
    fake.answers['rig.get_xcvr'] = '';
    void b.connect();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(b.connected).toBe(false);
    fake.answers['rig.get_xcvr'] = 'IC-7300';
    await until(() => b.connected, 2000, 'connected once flrig has a transceiver');
  });
});
