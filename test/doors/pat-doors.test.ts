/**
 * Pat 0.13.1 (the Winlink client, Debian's `pat`, binary `pat-winlink`) through the rigctld door, a
 * real `rigctld -m 1` behind. Pat is a rigctld client of its own (Go, wl2k-go's hamlib TCP rig, not
 * Hamlib's netrigctl): it sends `\get_freq` and `\set_freq <hz>` with CRLF line ends, one value line
 * back. Headless: its interactive mode's `freq ardop` reads the dial frequency of the rig its ARDOP
 * transport is tied to, `freq ardop:<kHz>` moves it. Pat reads the radio, follows a QSY made at the
 * radio, and moves the radio.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REACH_RADIO_MS } from '../contract/hamlib-scenario.js';
import { useContractRig } from '../contract/radio-side.js';
import { until } from '../support/gateway-harness.js';
import { describeWithTools } from '../support/tools.js';

/** Pat in interactive mode on a config whose ARDOP transport uses the rig at `rigAddress`. */
class Pat {
  private out = '';

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly dir: string,
  ) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.out += chunk;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.out += chunk;
    });
  }

  static start(rigAddress: string): Pat {
    const dir = mkdtempSync(join(tmpdir(), 'catbridge-pat-'));
    const config = {
      mycall: 'N0CALL',
      locator: 'JO59',
      hamlib_rigs: { shack: { address: rigAddress, network: 'tcp' } },
      // Nothing listens on the ARDOP address: `freq` only needs the rig the transport names.
      ardop: { addr: '127.0.0.1:1', rig: 'shack', ptt_ctrl: false, beacon_interval: 0 },
      listen: [],
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const at = (name: string) => join(dir, name);
    const child = spawn(
      'pat-winlink',
      [
        ...['--config', at('config.json'), '--mbox', at('mbox'), '--log', at('pat.log')],
        ...['--event-log', at('events.json'), '--forms', at('forms'), 'interactive'],
      ],
      { stdio: 'pipe' },
    );
    return new Pat(child, dir);
  }

  /** What Pat has printed so far (its start-up line names the dial frequency it read). */
  get output(): string {
    return this.out;
  }

  /** `freq ardop`: the dial frequency Pat reads from the rig, in Hz. */
  async freqHz(timeoutMs = 5000): Promise<number> {
    const from = this.out.length;
    this.child.stdin.write('freq ardop\n');
    let value: number | undefined;
    await until(
      () => {
        const match = /(-?\d+\.\d{3})\s*\n/.exec(this.out.slice(from));
        value = match ? Math.round(Number(match[1]) * 1000) : undefined;
        return value !== undefined;
      },
      timeoutMs,
      `pat's answer to "freq ardop" (output: ${JSON.stringify(this.out.slice(from))})`,
    );
    return value!;
  }

  /** `freq ardop:<kHz>`: Pat moves the rig (it reads the frequency first, then sets it). */
  qsy(hz: number): void {
    this.child.stdin.write(`freq ardop:${(hz / 1000).toFixed(3)}\n`);
  }

  async quit(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end('quit\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describeWithTools(['rigctld', 'pat-winlink'], 'Pat 0.13.1 through the rigctld door', () => {
  const ctx = useContractRig('rigctld', () => [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }], {
    hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' },
  });
  const env = {} as { pat: Pat };

  beforeAll(async () => {
    await ctx.radio.setFreqA(14_096_000);
    env.pat = Pat.start(`127.0.0.1:${ctx.harness.gateway.servers[0]!.port}`);
  });
  afterAll(async () => {
    await env.pat?.quit();
  });

  it('reads the dial frequency at start and on request', async () => {
    await until(() => /shack ready/.test(env.pat.output), 5000, 'pat reports its rig ready');
    expect(env.pat.output).toMatch(/shack ready\. Dial frequency is 14\.096\.00 MHz/);
    expect(await env.pat.freqHz()).toBe(14_096_000);
  });

  it('follows a QSY made at the radio', async () => {
    await ctx.radio.setFreqA(10_145_000);
    await until(async () => (await env.pat.freqHz()) === 10_145_000, 5000, 'pat reads the new frequency');
  });

  it('moves the radio', async () => {
    env.pat.qsy(7_101_000);
    await until(
      async () => (await ctx.radio.freq('VFOA')) === 7_101_000,
      REACH_RADIO_MS,
      'radio at 7101 kHz',
    );
    expect(await env.pat.freqHz()).toBe(7_101_000);
  });
});
