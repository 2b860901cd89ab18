/**
 * gpredict 2.3 (the satellite tracker, Debian's `gpredict`) through the rigctld door, a real
 * `rigctld -m 1` behind. gpredict is a rigctld client of its own (not Hamlib): on Engage it writes its
 * dial frequency (`F  145890000`, two spaces) and then reads `f` once a cycle (1 s), taking a frequency
 * turned at the radio into its dial. Driven under Xvfb with xdotool, by the positions of its widgets in
 * a fresh configuration (no window manager: windows open at 0,0): the module menu (≡), Radio Control,
 * Engage, and the ▲ over the dial's 10 kHz digit, which makes gpredict write its dial + 10 kHz.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useContractRig } from '../contract/radio-side.js';
import { sleep, withScreenshot, XDisplay } from '../scenarios/programs/x-display.js';
import { until } from '../support/gateway-harness.js';
import { describeWithTools } from '../support/tools.js';

/** What gpredict's Radio Control dial starts at (its default downlink, 145.890 MHz). */
const DIAL_HZ = 145_890_000;
/** A frequency set at the radio's knob while gpredict is engaged. */
const KNOB_HZ = 145_900_000;

/** Widget positions in gpredict 2.3's windows (fresh config, 1280×1024 screen, no window manager). */
const AT = {
  moduleMenu: [681, 44],
  radioControl: [754, 214],
  engage: [696, 254],
  tenKhzUp: [225, 55],
} as const;

describeWithTools(
  ['rigctld', 'gpredict', 'Xvfb', 'xdotool', 'import'],
  'gpredict 2.3 through the rigctld door',
  () => {
    const ctx = useContractRig('rigctld', () => [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }], {
      hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' },
    });
    const env = { stderr: '' } as { x: XDisplay; home: string; gpredict: ChildProcess; stderr: string };
    const door = () => ctx.harness.gateway.servers[0]!;
    const check = <T>(what: string, fn: () => Promise<T>) =>
      withScreenshot(env.x, `gpredict-door-${what}`, fn);
    const click = async (window: string, [x, y]: readonly [number, number]) => {
      await env.x.xdotool('mousemove', '--window', window, String(x), String(y));
      await env.x.xdotool('click', '1');
    };
    /**
     * A gpredict window by its title. The first start of a fresh gpredict builds its data files before
     * its main window shows: on a loaded machine that once took over 15 s, hence the longer wait for it.
     */
    const windowNamed = async (name: string, deadlineMs = 15_000) => {
      let id = '';
      await until(
        async () => {
          const child = env.gpredict;
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(
              `gpredict exited (${child.exitCode ?? child.signalCode}): ${env.stderr.slice(-800)}`,
            );
          id = (await env.x.xdotool('search', '--name', name).catch(() => '')).split('\n')[0] ?? '';
          return id !== '';
        },
        deadlineMs,
        `gpredict window "${name}"`,
      );
      return id;
    };

    beforeAll(async () => {
      env.x = await XDisplay.start();
      env.home = mkdtempSync(join(tmpdir(), 'catbridge-gpredict-'));
      // The radio, as gpredict's radio settings save it (hwconf/<name>.rig): the door, receive only.
      const hwconf = join(env.home, '.config', 'Gpredict', 'hwconf');
      mkdirSync(hwconf, { recursive: true });
      writeFileSync(
        join(hwconf, 'door.rig'),
        `[Radio]\nHost=127.0.0.1\nPort=${door().port}\nType=0\nPTT=0\n`,
      );
      env.gpredict = spawn('gpredict', [], {
        env: env.x.env({ HOME: env.home }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      env.gpredict.stderr?.setEncoding('utf8');
      env.gpredict.stderr?.on('data', (text: string) => {
        env.stderr = (env.stderr + text).slice(-4000);
      });
    }, 30_000);
    afterAll(async () => {
      // gpredict saves its settings as it quits: its home goes only once it has gone (else ENOTEMPTY).
      const child = env.gpredict;
      if (child && child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await gone;
        clearTimeout(killer);
      }
      await env.x?.stop();
      if (env.home) rmSync(env.home, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    });

    it('on Engage writes its dial to the radio, then reads the radio through the door', async () => {
      await check('engage', async () => {
        await ctx.radio.setFreqA(14_074_000);
        const main = await windowNamed('Gpredict: Amateur', 60_000);
        await sleep(1000);
        await click(main, AT.moduleMenu);
        await sleep(500);
        await click(main, AT.radioControl);
        const radio = await windowNamed('Gpredict Radio Control');
        await sleep(1000);
        await click(radio, AT.engage);
        await until(
          async () => (await ctx.radio.freq('VFOA')) === DIAL_HZ,
          5000,
          'radio at the dial frequency',
        );
        const client = [...door().clients][0]!;
        const before = client.session.stats.commands;
        await until(() => client.session.stats.commands >= before + 2, 5000, 'two more reads (1 s cycle)');
      });
    }, 90_000);

    it('takes a frequency turned at the radio into its dial', async () => {
      await check('knob', async () => {
        await ctx.radio.setFreqA(KNOB_HZ);
        // Two of its 1 s cycles: the door's poll has seen the knob and gpredict has read it.
        await sleep(3000);
        const radio = await windowNamed('Gpredict Radio Control');
        await click(radio, AT.tenKhzUp);
        // From the dial it read (145.900 MHz) + 10 kHz; from its old dial it would write 145.900 MHz.
        await until(
          async () => (await ctx.radio.freq('VFOA')) === KNOB_HZ + 10_000,
          5000,
          'radio at the knob frequency + 10 kHz',
        );
        expect(await ctx.radio.freq('VFOA')).toBe(KNOB_HZ + 10_000);
      });
    }, 30_000);
  },
);
