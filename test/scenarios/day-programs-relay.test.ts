/** Programs together, crashes, probes and restarts on one radio, every rigctld answer held 30 ms by a relay. */
import { programsSuite } from './support/programs-suite.js';

programsSuite('relay30', 30);
