import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './rigctld.js';

/**
 * A real flrig 1.4.7 (Debian's package) for contract tests, headless under its own Xvfb, configured
 * through its prefs files in a temporary directory (research/flrig.md §3.1–3.2: no GUI clicks), with
 * its radio on a serial device the test provides — usually a catbridge port on the sim backend.
 */
export interface FlrigOptions {
  /** flrig's transceiver name: "IC-7300", "TS-2000", … */
  xcvr: string;
  /** The serial device flrig drives. */
  device: string;
  /** CI-V address (IC-7300: 0x94). */
  civAddress?: number;
  /** The radio echoes CI-V (flrig's comm_echo). */
  echo?: boolean;
  /** The XML-RPC port; default a free one. */
  port?: number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function prefs(application: string, entries: Record<string, string | number>): string {
  const lines = [
    '; FLTK preferences file format 1.0',
    '; vendor: w1hkj.com',
    `; application: ${application}`,
    '',
    '[.]',
    '',
  ];
  for (const [key, value] of Object.entries(entries)) lines.push(`${key}:${value}`);
  return `${lines.join('\n')}\n`;
}

export class Flrig {
  private xvfb: ChildProcess | null = null;
  private flrig: ChildProcess | null = null;
  private display = '';
  private output = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: FlrigOptions,
  ) {}

  static async start(options: FlrigOptions): Promise<Flrig> {
    const dir = mkdtempSync(join(tmpdir(), 'catbridge-flrig-'));
    const flrig = new Flrig(options.port ?? (await freePort()), dir, options);
    try {
      await flrig.startDisplay();
      await flrig.spawn();
      return flrig;
    } catch (err) {
      await flrig.stop();
      throw err;
    }
  }

  readonly host = '127.0.0.1';

  /** Xvfb picks a free display itself (-displayfd) so parallel tests never collide. */
  private async startDisplay(): Promise<void> {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '800x600x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    this.xvfb = xvfb;
    live.add(xvfb);
    const fd = xvfb.stdio[3] as import('node:stream').Readable;
    fd.setEncoding('utf8');
    const number = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Xvfb did not report a display within 5 s')), 5000);
      let text = '';
      fd.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('\n')) {
          clearTimeout(timer);
          resolve(text.trim());
        }
      });
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
    });
    this.display = `:${number}`;
  }

  private writePrefs(): string {
    const config = join(this.dir, 'cfg');
    mkdirSync(config, { recursive: true });
    const { xcvr, device, civAddress = 0, echo = false } = this.options;
    writeFileSync(join(config, 'flrig.prefs'), prefs('flrig', { xcvr_name: xcvr }));
    // flrig ignores a transceiver's prefs file without `version:` (loadXcvrState).
    writeFileSync(
      join(config, `${xcvr}.prefs`),
      prefs(xcvr, {
        version: '1.4.7',
        xcvr_serial_port: device,
        comm_baudrate: 9,
        comm_stopbits: 1,
        comm_retries: 2,
        comm_wait: 5,
        comm_timeout: 50,
        serloop_timing: 200,
        comm_echo: echo ? 1 : 0,
        ptt_via_cat: 1,
        ptt_via_rts: 0,
        ptt_via_dtr: 0,
        rts_cts_flow: 0,
        rts_plus: 0,
        dtr_plus: 0,
        civadr: civAddress,
        xmlport: this.port,
        use_tcpip: 0,
      }),
    );
    return config;
  }

  /** Starts flrig (again) and resolves once its XML-RPC answers with the transceiver online. */
  async spawn(): Promise<void> {
    const config = this.writePrefs();
    this.output = '';
    const child = spawn('flrig', ['--config-dir', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: this.display },
    });
    this.flrig = child;
    live.add(child);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => {
        this.output = (this.output + text).slice(-4000);
      });
    }
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`flrig exited (${child.exitCode ?? child.signalCode}): ${this.output}`);
      }
      if ((await this.call('rig.get_xcvr').catch(() => '')).includes(this.options.xcvr)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`flrig did not come online within 15 s: ${this.output}`);
  }

  /** A raw XML-RPC call for the test's own checks (behind the backend's back); returns the response XML. */
  async call(method: string, paramsXml = ''): Promise<string> {
    const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${paramsXml}</params></methodCall>`;
    const response = await fetch(`http://${this.host}:${this.port}/RPC2`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', Connection: 'close' },
      body,
      signal: AbortSignal.timeout(2000),
    });
    return await response.text();
  }

  /** The untyped or `<i4>` value of a parameterless getter, as text. */
  async get(method: string): Promise<string> {
    const xml = await this.call(method);
    const match = /<param>\s*<value>(?:<i4>)?([^<]*)(?:<\/i4>)?<\/value>/.exec(xml);
    if (!match) throw new Error(`flrig ${method}: ${xml}`);
    return match[1]!;
  }

  /** SIGKILL: flrig gone at once, as in a crash. */
  async kill(): Promise<void> {
    const child = this.flrig;
    this.flrig = null;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    live.delete(child);
  }

  async stop(): Promise<void> {
    await this.kill();
    const xvfb = this.xvfb;
    this.xvfb = null;
    if (xvfb && xvfb.exitCode === null && xvfb.signalCode === null) {
      const exited = once(xvfb, 'exit');
      xvfb.kill('SIGTERM');
      await exited;
    }
    if (xvfb) live.delete(xvfb);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
