/**
 * A gateway whose rigctld is not there yet: its port is silent, like a radio that is switched off,
 * rather than answering with defaults nobody read; once rigctld comes up the port answers.
 */
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

/** Writes a command to the port and collects what comes back within `ms`. */
async function ask(device: string, command: string, ms: number): Promise<string> {
  const fd = openSync(device, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  try {
    writeSync(fd, command);
    let answer = '';
    const buffer = Buffer.alloc(256);
    const end = Date.now() + ms;
    while (Date.now() < end && !answer.endsWith(';')) {
      try {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        answer += buffer.toString('latin1', 0, n);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    return answer;
  } finally {
    closeSync(fd);
  }
}

describeWithTools(['rigctld'], 'a port whose radio was never reached', () => {
  let rigctld: Rigctld;
  let harness: GatewayHarness;
  afterAll(async () => {
    await harness?.stop();
    await rigctld?.kill();
  });

  it('stays silent until rigctld answers, then answers from the radio', async () => {
    rigctld = await Rigctld.start();
    await rigctld.kill(); // its port is now known and closed
    harness = await GatewayHarness.start(
      { shack: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` } },
      [{ name: 'ts2000', rig: 'ts2000', backend: 'shack' }],
    );
    const link = harness.links.ts2000!;
    expect(await ask(link, 'FA;', 400)).toBe('');
    // Left unanswered: held for a read of the radio after the open, which cannot come.
    const { silencedBytes, unansweredAtOpen } = harness.session('ts2000').stats;
    expect(silencedBytes + unansweredAtOpen).toBeGreaterThan(0);
    await rigctld.spawn();
    await until(async () => (await ask(link, 'ID;', 300)) === 'ID019;', 10_000, 'port answers');
    // The dummy radio starts on 145 MHz: the answer is the radio's, not a default.
    expect(await ask(link, 'FA;', 300)).toBe('FA00145000000;');
  });
});
