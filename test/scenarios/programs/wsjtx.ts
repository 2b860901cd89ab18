import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../support/gateway-harness.js';
import { WsjtxUdp } from './wsjtx-udp.js';
import { childPids, pidAlive, sleep, type XDisplay } from './x-display.js';

export interface WsjtxOptions {
  /** Unique per instance: WSJT-X keys its lock file and shared memory (with jt9) on it. */
  rigName: string;
  /** The rig as WSJT-X lists it (Hamlib's "Mfg Model"). */
  rig: string;
  serialPort: string;
  baud: number;
  /** `host:port` for a network rig ("Hamlib NET rigctl", "FLRig FLRig"): Settings → Radio → Network Server. */
  network?: string;
  /** Settings → Radio → PTT Method: CAT (the default), or VOX for a model Hamlib cannot key over CAT. */
  ptt?: 'cat' | 'vox';
}

/** WSJT-X's PTT methods as its ini stores them (TransceiverFactory::PTTMethod: VOX, CAT, DTR, RTS). */
const PTT_METHOD = { vox: 0, cat: 1 } as const;

/**
 * An ALSA PCM that discards samples, named so Qt lists it (Qt's ALSA plugin hides "null"): without a
 * sound device WSJT-X's Tune pops "Error in Sound Output", a modal dialog.
 */
const ASOUNDRC = `pcm.catbridge_null {
  type null
  hint {
    show on
    description "catbridge tests: discards samples"
  }
}
`;

/**
 * The settings a ham would make in File → Settings, in the ini WSJT-X reads for `--rig-name`
 * ("WSJT-X - <rig-name>.ini" in $XDG_CONFIG_HOME). Key names and the enum encoding (plain integers are
 * read back and rewritten as @Variant) were read from the ini WSJT-X 2.6.1 writes on exit.
 * PTTMethod: see PTT_METHOD; Polling = poll interval in seconds; Splash_v1.7 = the start-up splash.
 */
function iniText(o: WsjtxOptions, udpPort: number): string {
  return `[Common]
Mode=FT8

[Configuration]
Rig=${o.rig}
CATSerialPort=${o.serialPort}
CATSerialRate=${o.baud}
${o.network ? `CATNetworkPort=${o.network}\n` : ''}PTTMethod=${PTT_METHOD[o.ptt ?? 'cat']}
Polling=1
UDPServer=127.0.0.1
UDPServerPort=${udpPort}
AcceptUDPRequests=true
SoundInName=catbridge_null
SoundOutName=catbridge_null
MyCall=K1ABC
MyGrid=FN42
PSKReporter=false
TxWatchdog=6

[MultiSettings]
CurrentName=Default
Splash_v1.7=false
`;
}

/** One real WSJT-X 2.6.1 on an Xvfb display, in an isolated HOME, reporting over UDP. */
export class Wsjtx {
  private jt9: Set<number> = new Set();
  private stderr = '';
  private watcher: NodeJS.Timeout;

  private constructor(
    readonly x: XDisplay,
    readonly options: WsjtxOptions,
    readonly home: string,
    readonly udp: WsjtxUdp,
    readonly child: ChildProcess,
  ) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (t: string) => {
      this.stderr = (this.stderr + t).slice(-3000);
    });
    // Remember jt9 while WSJT-X lives: after a SIGTERM it is reparented and must still be waited for.
    this.watcher = setInterval(() => {
      if (child.pid) for (const pid of childPids(child.pid)) this.jt9.add(pid);
    }, 200);
  }

  static async start(x: XDisplay, options: WsjtxOptions): Promise<Wsjtx> {
    const home = mkdtempSync(join(tmpdir(), 'catbridge-wsjtx-'));
    const config = join(home, '.config');
    mkdirSync(config, { recursive: true });
    const udp = await WsjtxUdp.listen();
    mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 });
    mkdirSync(join(home, 'tmp'), { recursive: true });
    writeFileSync(join(home, '.asoundrc'), ASOUNDRC);
    writeFileSync(join(config, `WSJT-X - ${options.rigName}.ini`), iniText(options, udp.port));
    const child = spawn('wsjtx', [`--rig-name=${options.rigName}`], {
      env: x.env({
        HOME: home,
        XDG_CONFIG_HOME: config,
        XDG_DATA_HOME: join(home, '.local', 'share'),
        XDG_CACHE_HOME: join(home, '.cache'),
        XDG_RUNTIME_DIR: join(home, 'run'),
        TMPDIR: join(home, 'tmp'),
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.on('error', () => {});
    return new Wsjtx(x, options, home, udp, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.stderr;
  }

  /** The end of WSJT-X's own log (rig control errors land here). */
  syslog(): string {
    try {
      const file = join(this.home, '.local', 'share', `WSJT-X - ${this.options.rigName}`, 'wsjtx_syslog.log');
      return readFileSync(file, 'utf8').slice(-2000);
    } catch {
      return '(no wsjtx_syslog.log)';
    }
  }

  /** Waits until WSJT-X reports a dial frequency satisfying `check`. */
  async waitForDial(check: (hz: number) => boolean, deadlineMs: number, what: string): Promise<number> {
    try {
      await until(() => this.udp.status !== null && check(this.udp.status.dialHz), deadlineMs, what);
    } catch (err) {
      throw new Error(`${(err as Error).message}; ${this.udp.describe()}; wsjtx running: ${this.running}`);
    }
    return this.udp.status!.dialHz;
  }

  /** The main window (title "WSJT-X - <rig-name>   v2.6.1 …"), focused so keys reach it. */
  private async mainWindow(): Promise<string> {
    const ids = (await this.x.xdotool('search', '--pid', String(this.pid), '--name', 'v2\\.6'))
      .split('\n')
      .filter(Boolean);
    const id = ids.at(-1);
    if (!id) throw new Error('WSJT-X main window not found');
    return id;
  }

  /** Keys to the main window, as a ham presses Alt+T (Tune) / Alt+H (Halt Tx). */
  async key(...keys: string[]): Promise<void> {
    const win = await this.mainWindow();
    await this.x.xdotool('windowfocus', win);
    await sleep(150);
    await this.x.xdotool('key', '--clearmodifiers', ...keys);
  }

  /**
   * Types a dial frequency (MHz) into the band combo box at the bottom left and presses Enter, as a
   * ham QSYs from the program. The combo sits at (42, 432) in the main window at its default layout.
   */
  async typeFrequency(hz: number): Promise<void> {
    const win = await this.mainWindow();
    await this.x.xdotool('windowfocus', win);
    await this.x.xdotool('mousemove', '--window', win, '42', '432', 'click', '1');
    await sleep(200);
    await this.x.xdotool('key', 'ctrl+a');
    await this.x.xdotool('type', '--delay', '20', (hz / 1e6).toFixed(6));
    await this.x.xdotool('key', 'Return');
  }

  /** All WSJT-X processes (itself and its jt9) gone? */
  get allGone(): boolean {
    if (this.running) return false;
    for (const pid of this.jt9) if (pidAlive(pid)) return false;
    return true;
  }

  /** File → Exit equivalent (UDP Close); resolves when WSJT-X and jt9 are gone. */
  async quit(deadlineMs = 20_000): Promise<void> {
    this.udp.sendClose();
    await until(() => this.allGone, deadlineMs, 'WSJT-X and jt9 exit after Close');
  }

  /** SIGTERM to WSJT-X (as a killed session): it dies without its own shutdown. */
  terminate(): void {
    if (this.child.pid) for (const pid of childPids(this.child.pid)) this.jt9.add(pid);
    this.child.kill('SIGTERM');
  }

  /**
   * A killed WSJT-X leaves its 48 MB SysV segment (QSharedMemory, shared with jt9) behind. Its key is
   * ftok() of Qt's key file in this instance's TMPDIR, and inode numbers are reused, so a later instance
   * would collide with it ("Unable to create shared memory segment"). Removes exactly those keys
   * (the segment and its semaphore).
   */
  private removeLeakedSharedMemory(): void {
    const dir = join(this.home, 'tmp');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => /^qipc_(sharedmemory|systemsem)_/.test(f));
    } catch {
      return;
    }
    for (const file of files) {
      const st = statSync(join(dir, file));
      // glibc ftok(path, 'Q'): proj_id << 24 | (dev & 0xff) << 16 | (ino & 0xffff)
      const key = ((0x51 << 24) | ((st.dev & 0xff) << 16) | (st.ino & 0xffff)) >>> 0;
      try {
        const kind = file.startsWith('qipc_systemsem_') ? '-S' : '-M';
        execFileSync('ipcrm', [kind, `0x${key.toString(16)}`], { stdio: 'ignore' });
      } catch {
        // already removed by WSJT-X's own exit
      }
    }
  }

  /** Makes sure nothing of this instance is left (SIGKILL what remains), then removes its HOME. */
  async dispose(): Promise<void> {
    clearInterval(this.watcher);
    if (this.running) {
      if (this.child.pid) for (const pid of childPids(this.child.pid)) this.jt9.add(pid);
      this.child.kill('SIGKILL');
    }
    // jt9 outlives a killed WSJT-X (it waits on shared memory): end the ones this instance started.
    try {
      await until(() => !this.running, 5000, 'WSJT-X exit');
    } catch {
      // reported by the caller's checks
    }
    for (const pid of this.jt9) {
      if (!pidAlive(pid)) continue;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    try {
      await until(() => this.allGone, 5000, 'jt9 exit');
    } catch {
      for (const pid of this.jt9) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    this.udp.close();
    this.removeLeakedSharedMemory();
    rmSync(this.home, { recursive: true, force: true });
  }
}
