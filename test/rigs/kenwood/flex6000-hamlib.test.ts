/**
 * The FLEX-6000 profile driven by the real Hamlib 4.5.4 `rigctl -m 2036` over a real TCP socket, which is
 * the only way Hamlib talks to this model ("Port type: Network link"). The emulator sits on a FakeRig here,
 * so every width and mode Hamlib writes is checked at once against the fake's state; the gateway contract
 * (a port's CAT-over-TCP door, rigctld -m 1 and the sim) is test/contract/flex-hamlib.test.ts.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmulator } from '../../../src/rigs/families.js';
import { loadProfile } from '../../../src/rigs/profiles.js';
import { FakeRig } from '../../support/fake-rig.js';
import { until } from '../../support/gateway-harness.js';
import { RigctlSession } from '../../support/rigctl-session.js';
import { describeWithTools } from '../../support/tools.js';

describeWithTools(
  ['rigctl', 'stdbuf'],
  'FLEX-6000 through real Hamlib over TCP (emulator on a fake rig)',
  () => {
    const rig = new FakeRig({ freqA: 14_074_000, mode: 'USB', passband: 2700 });
    let server: Server;
    let address = '';

    beforeAll(async () => {
      const profile = loadProfile('flex6000');
      server = createServer((socket) => {
        const emulator = createEmulator(profile, {
          profile,
          rig,
          write: (bytes) => socket.write(bytes),
          port: { autoInfo: false, echo: false, transceive: false },
        });
        socket.on('data', (bytes) => emulator.receive(bytes));
        socket.on('close', () => emulator.reset());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const bound = server.address();
      address = typeof bound === 'object' && bound ? `127.0.0.1:${bound.port}` : '';
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('opens, and drives frequency, modes with DIGU/DIGL, widths, PTT, split and VFOs', async () => {
      const client = await RigctlSession.open(2036, address);
      const ok = async (line: string) => {
        const reply = await client.cmd(line);
        expect(reply.ok, `${line}: ${reply.raw}`).toBe(true);
        return reply.values;
      };
      try {
        await ok('F 14074123');
        expect(await ok('f')).toEqual(['14074123']);
        expect(rig.current.freqA).toBe(14_074_123);
        // A change at the radio, seen once Hamlib's own cache (500 ms) has aged.
        rig.current.freqA = 7_074_000;
        await until(
          async () => (await client.cmd('f')).values[0] === '7074000',
          2000,
          'radio-side change seen',
        );
        for (const [mode, width] of [
          ['CW', '400'],
          ['PKTUSB', '3000'],
          ['PKTLSB', '3000'],
          ['USB', '2400'],
        ] as const) {
          await ok(`M ${mode} ${width}`);
          expect(await ok('m')).toEqual([mode, width]);
          expect(rig.current).toMatchObject({ mode, passband: Number(width) });
        }
        await ok('T 1');
        expect(await ok('t')).toEqual(['1']);
        expect(rig.current.ptt).toBe(true);
        await ok('T 0');
        expect(rig.current.ptt).toBe(false);
        await ok('S 1 VFOB');
        await ok('I 14076500');
        expect(await ok('s')).toEqual(['1', 'VFOB']);
        expect(rig.current).toMatchObject({ split: true, txVfo: 'VFOB', freqB: 14_076_500 });
        await ok('S 0 VFOA');
        expect(rig.current.split).toBe(false);
        await ok('V VFOB');
        expect(rig.current.vfo).toBe('VFOB');
        await ok('V VFOA');
        expect(rig.current.vfo).toBe('VFOA');
        expect(await ok('l KEYSPD')).toEqual(['20']);
      } finally {
        await client.close();
      }
    });
  },
);
