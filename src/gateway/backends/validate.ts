import { isMode, type Mode, VFOS, type Vfo } from '../../model/rig.js';
import { BackendError } from './backend.js';

/**
 * Argument checks shared by every backend. A value that fails here is a caller's bug, so it is refused
 * with Hamlib's EINVAL (-1) before anything reaches a server. For rigctld this is also what keeps a
 * stray space or newline out of the line protocol: rigctld itself accepts `F -5` and `M FOO 0` with
 * `RPRT 0` (probed against rigctld 4.5.4 -m 1), so nothing downstream would catch them.
 */
export const EINVAL = -1;

export function checkVfo(vfo: unknown): Vfo {
  if (typeof vfo === 'string' && (VFOS as readonly string[]).includes(vfo)) return vfo as Vfo;
  throw new BackendError(`invalid VFO ${JSON.stringify(vfo)}`, EINVAL);
}

/** Frequencies are whole Hz (DESIGN.md canonical model), never negative. */
export function checkFreq(hz: unknown): number {
  if (typeof hz === 'number' && Number.isSafeInteger(hz) && hz >= 0) return hz;
  throw new BackendError(`invalid frequency ${String(hz)} (whole Hz >= 0 expected)`, EINVAL);
}

export function checkMode(mode: unknown): Mode {
  if (typeof mode === 'string' && isMode(mode)) return mode;
  throw new BackendError(`invalid mode ${JSON.stringify(mode)}`, EINVAL);
}

/** Passband in whole Hz; 0 asks for the rig's default for the mode. */
export function checkPassband(hz: unknown): number {
  if (typeof hz === 'number' && Number.isSafeInteger(hz) && hz >= 0) return hz;
  throw new BackendError(`invalid passband ${String(hz)} (whole Hz >= 0 expected)`, EINVAL);
}

/** RF power as a fraction of the rig's maximum (Hamlib RFPOWER, 0..1). */
export function checkLevel(level: unknown): number {
  if (typeof level === 'number' && Number.isFinite(level) && level >= 0 && level <= 1) return level;
  throw new BackendError(`invalid RF power ${String(level)} (0..1 expected)`, EINVAL);
}
