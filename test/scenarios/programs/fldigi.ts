import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../support/gateway-harness.js';
import { freePort } from '../../support/rigctld.js';
import type { XDisplay } from './x-display.js';

export interface FldigiOptions {
  hamlibModel: number;
  hamlibName: string;
  device: string;
  baud: number;
  stopBits: number;
  /**
   * `host:port` of an flrig server: fldigi's own flrig client (Configure → Rig control → flrig) instead
   * of Hamlib; the Hamlib settings are then left unused.
   */
  flrig?: string;
}

/** A Hamlib network rig's device is `host:port` (NET rigctl); a serial one is a path. */
function isNetworkDevice(device: string): boolean {
  return /^[\w.-]+:\d+$/.test(device);
}

/** fldigi's HAMRIGBAUDRATE is an index into this list (configuration.h). */
const BAUDS = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800];

/**
 * $HOME/.fldigi/fldigi_def.xml as a ham leaves it after Configure → Rig Control → Hamlib: the model,
 * the port's link, PTT via Hamlib CAT, DTR/RTS Unset (fldigi otherwise sets them and Hamlib cannot open
 * a pty), no exit confirmation. Its presence also skips the first-run wizard. Tag names from fldigi
 * 4.1.23's src/include/configuration.h.
 */
function defsXml(o: FldigiOptions, xmlrpcPort: number): string {
  const baudIndex = BAUDS.indexOf(o.baud);
  if (baudIndex < 0) throw new Error(`fldigi has no baud rate ${o.baud}`);
  const tags: Record<string, string | number> = {
    CONFIRMEXIT: 0,
    SAVECONFIG: 0,
    CHKUSEHAMLIBIS: 1,
    CHKUSERIGCATIS: 0,
    CHKUSEXMLRPCIS: 0,
    HAMRIGMODEL: o.hamlibModel,
    HAMRIGNAME: o.hamlibName,
    HAMRIGDEVICE: o.device,
    HAMRIGBAUDRATE: baudIndex,
    HAMRIGSTOPBITS: o.stopBits,
    HAMRIGPOLLRATE: 250,
    HAMLIBCMDPTT: 1,
    HAMLIBDTRPLUS: 0,
    HAMLIBRTSPLUS: 0,
    HAMLIBRTSCTSFLOW: 0,
    HAMLIBXONXOFFFLOW: 0,
    // Hamlib refuses dtr_state/rts_state on a network rig (conf.c: RIG_EINVAL unless the port is
    // serial), and fldigi gives up before rig_open on any refused setting (hamlib.cxx hamlib_init):
    // so for `host:port` (NET rigctl) the field stays empty, as a ham's would.
    HAMCONFIG: isNetworkDevice(o.device) ? '' : 'dtr_state=Unset,rts_state=Unset',
    ...(o.flrig
      ? {
          CHKUSEHAMLIBIS: 0,
          CLIENT_TO_FLRIG: 1,
          FLRIG_IP_ADDRESS: o.flrig.split(':')[0]!,
          FLRIG_IP_PORT: o.flrig.split(':')[1]!,
        }
      : {}),
    XMLRPC_ADDRESS: '127.0.0.1',
    XMLRPC_PORT: String(xmlrpcPort),
    MYCALL: 'K1ABC',
  };
  const body = Object.entries(tags)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('\n');
  return `<FLDIGI_DEFS>\n${body}\n</FLDIGI_DEFS>\n`;
}

type XmlRpcValue = number | string | boolean | null;
/** An XML-RPC double even for a whole number (fldigi's d:d methods refuse an i4). */
export type XmlRpcParam = XmlRpcValue | { double: number };

function xmlValue(v: XmlRpcParam | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return `<value><double>${v.double.toFixed(1)}</double></value>`;
  if (typeof v === 'string') return `<value><string>${v}</string></value>`;
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  return Number.isInteger(v) ? `<value><i4>${v}</i4></value>` : `<value><double>${v}</double></value>`;
}

/** One real fldigi 4.1.23 on an Xvfb display, in an isolated HOME, with its XML-RPC server. */
export class Fldigi {
  private stderr = '';

  private constructor(
    readonly home: string,
    readonly xmlrpcPort: number,
    readonly child: ChildProcess,
  ) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (t: string) => {
      this.stderr = (this.stderr + t).slice(-3000);
    });
  }

  static async start(x: XDisplay, options: FldigiOptions): Promise<Fldigi> {
    const home = mkdtempSync(join(tmpdir(), 'catbridge-fldigi-'));
    mkdirSync(join(home, '.fldigi'), { recursive: true });
    const port = await freePort();
    writeFileSync(join(home, '.fldigi', 'fldigi_def.xml'), defsXml(options, port));
    const child = spawn(
      'fldigi',
      ['--xmlrpc-server-address', '127.0.0.1', '--xmlrpc-server-port', String(port)],
      {
        env: x.env({
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          XDG_DATA_HOME: join(home, '.local', 'share'),
        }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.on('error', () => {});
    return new Fldigi(home, port, child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** fldigi's stderr (its event log goes there too). */
  get log(): string {
    return this.stderr;
  }

  /** One XML-RPC call; returns the scalar result. */
  async call(method: string, ...params: XmlRpcParam[]): Promise<XmlRpcValue> {
    const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params
      .map((p) => `<param>${xmlValue(p)}</param>`)
      .join('')}</params></methodCall>`;
    const res = await fetch(`http://127.0.0.1:${this.xmlrpcPort}/RPC2`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
      signal: AbortSignal.timeout(3000),
    });
    const text = await res.text();
    if (text.includes('<fault>')) throw new Error(`fldigi ${method} fault: ${text}`);
    const m = /<value>\s*(?:<(\w+)>([\s\S]*?)<\/\1>|([^<]*))\s*<\/value>/.exec(text);
    if (!m) return null;
    const [, type, inner, bare] = m;
    if (type === undefined) return bare ?? '';
    if (type === 'double' || type === 'i4' || type === 'int') return Number(inner);
    if (type === 'boolean') return inner === '1';
    return inner ?? '';
  }

  /** rig.get_frequency, or null while the XML-RPC server is not up. */
  async frequency(): Promise<number | null> {
    try {
      return Math.round(Number(await this.call('rig.get_frequency')));
    } catch {
      return null;
    }
  }

  /** main.get_trx_state: "RX", "TX" or "TUNE". */
  async trxState(): Promise<string> {
    return String(await this.call('main.get_trx_state'));
  }

  /** Quits as File → Exit (fldigi.terminate; exit confirmation is off). */
  async quit(deadlineMs = 15_000): Promise<void> {
    try {
      await this.call('fldigi.terminate', 0);
    } catch {
      // the server may drop the connection as fldigi exits
    }
    await until(() => !this.running, deadlineMs, 'fldigi exit after fldigi.terminate');
  }

  terminate(): void {
    this.child.kill('SIGTERM');
  }

  async dispose(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGKILL');
      await until(() => !this.running, 5000, 'fldigi exit').catch(() => {});
    }
    rmSync(this.home, { recursive: true, force: true });
  }
}
