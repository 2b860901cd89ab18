import { it } from 'vitest';
import { RigctldBackend } from '../../src/gateway/backends/rigctld-backend.js';
import { Rigctld, rigctlCmd } from '../support/rigctld.js';

it('loop', async () => {
  const r = await Rigctld.start({});
  let bad = 0;
  for (let i = 0; i < 40; i++) {
    await r.restart();
    const b = new RigctldBackend({ host: r.host, port: r.port, promoteVfoMode: false });
    try {
      await b.connect();
      await b.selectVfo('VFOB');
      await rigctlCmd(r.port, 'v');
      await b.setFreq('VFOA', 1);
      await rigctlCmd(r.port, '\\get_vfo_info VFOA');
    } catch (e) {
      bad++;
      console.log(i, (e as Error).message, b.stats());
    }
    await b.close();
  }
  await r.kill();
  console.log('bad', bad);
}, 120000);
