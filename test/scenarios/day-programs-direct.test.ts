/** Programs together, crashes, probes and restarts on one radio, the gateway talking to rigctld directly. */
import { programsSuite } from './support/programs-suite.js';

programsSuite('direct', null);
