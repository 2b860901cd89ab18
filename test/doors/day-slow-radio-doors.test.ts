/**
 * A day with a slow radio (support/slow-radio.ts) through the network doors: the rigctld door opened
 * by `rigctl -m 2 -r 127.0.0.1:<door>` (Hamlib's NET client) and a TS-2000 served by CAT over TCP
 * opened by `rigctl -m 2014 -r 127.0.0.1:<port>`, each answer of the radio held 300 ms. After every
 * step nothing reached the radio that no client asked for, and no first answer predates the connect.
 */
import { loadModels } from '../scenarios/support/day.js';
import { describeSlowRadio } from '../scenarios/support/slow-radio.js';

const ts2000 = loadModels().find((m) => m.name === 'ts2000')!;
/** Hamlib's NET rigctl model, as rigctl names it (`rigctl -l`). */
const NETRIGCTL = 2;
/**
 * netrigctl's caps (Hamlib 4.5.4): timeout 10000 ms; a first reply may wait that less 50 ms. Stated
 * here because rigctl -m 2 cannot --dump-caps without a server to open. Only the timing table shows it.
 */
const NETRIGCTL_BOUND_MS = 9_950;

describeSlowRadio({
  title: 'a day with a slow radio through the doors (answers held 300 ms)',
  path: 'door300',
  ports: [{ name: 'ts2000tcp', rig: 'ts2000', extra: { transport: 'tcp', tcp: '127.0.0.1:0' } }],
  servers: [{ name: 'hamlib', type: 'rigctld' }],
  clients: [
    { door: 'hamlib', model: NETRIGCTL, boundMs: NETRIGCTL_BOUND_MS, mustAnswer: true },
    { door: 'ts2000tcp', model: ts2000.model, boundMs: ts2000.firstReplyBoundMs },
  ],
  pair: ['hamlib', 'ts2000tcp'],
});
