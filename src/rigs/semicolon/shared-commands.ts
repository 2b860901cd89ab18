import type { RigReads } from '../../model/rig.js';
import { type CommandOutcome, digits, malformed } from './dialect.js';

/**
 * The commands Kenwood, Elecraft, ZZ and newcat radios answer alike, written once (they were repeated
 * in the Kenwood and newcat emulators).
 */

/** `PS`: power status. Reads answer "on"; power off is not ours to do to a shared radio, so it is accepted and ignored. */
export function powerStatus(args: string): CommandOutcome {
  if (!args) return { reply: 'PS1', kind: 'query', meaning: 'get power status → on' };
  return args === '0' || args === '1' ? { kind: 'set', meaning: `power ${args}` } : malformed(`PS${args}`);
}

/**
 * `AI`: auto information, a port's own protocol state (DESIGN.md). `stateChanged` sends the status
 * answer unsolicited only when the port allows it and the client asked for it, and only when it changed.
 */
export class AutoInformation {
  private level = 0;
  private lastSent = '';

  constructor(private readonly maxLevel: number) {}

  command(args: string): CommandOutcome {
    if (!args) return { reply: `AI${this.level}`, kind: 'query', meaning: 'get auto information' };
    if (!/^\d$/.test(args) || Number(args) > this.maxLevel) return malformed(`AI${args}`);
    this.level = Number(args);
    this.lastSent = '';
    return { kind: 'set', meaning: `set auto information ${args}` };
  }

  /** The unsolicited answer to send now, if the client asked for them and `status` is news. */
  unsolicited(portAllows: boolean, status: () => string): string | undefined {
    if (!portAllows || this.level === 0) return undefined;
    const info = status();
    if (info === this.lastSent) return undefined;
    this.lastSent = info;
    return `${info};`;
  }

  reset(): void {
    this.level = 0;
    this.lastSent = '';
  }
}

/** `PC` read: RF power in whole watts, `width` digits (and the K3's units digit when extended). */
export function rfPowerAnswer(rig: RigReads, maxPowerW: number, width: number, suffix = ''): CommandOutcome {
  const watts = Math.round(rig.rfPower() * maxPowerW);
  return { reply: `PC${digits(watts, width)}${suffix}`, kind: 'query', meaning: `get RF power → ${watts} W` };
}

/** A read-only command (`ID`, `IF`, `TQ`, …): arguments make it malformed, as on the radio. */
export function readOnly(
  command: string,
  args: string,
  reply: () => string,
  meaning: string,
): CommandOutcome {
  return args ? malformed(command) : { reply: reply(), kind: 'query', meaning };
}
