/**
 * A day with a slow radio (support/slow-radio.ts) on serial ports: four models' ptys, each opened by
 * a one-shot `rigctl -m <model>` with that model's own Hamlib timeout (200 ms for TS-2000 and FT-857).
 */
import { loadModels } from './support/day.js';
import { describeSlowRadio } from './support/slow-radio.js';

const NAMES = ['ts2000', 'ft857', 'ic7300', 'ft991a'];
const models = new Map(loadModels().map((m) => [m.name, m]));

describeSlowRadio({
  title: 'a day with a slow radio (answers held 300 ms)',
  path: 'slow300',
  ports: NAMES.map((name) => ({ name, rig: name })),
  clients: NAMES.map((name) => ({
    door: name,
    model: models.get(name)!.model,
    boundMs: models.get(name)!.firstReplyBoundMs,
  })),
  pair: ['ic7300', 'ts2000'],
});
