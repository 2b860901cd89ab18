import type { Vfo } from '../../model/rig.js';
import { type CommandOutcome, malformed, type SemicolonCommandTable } from '../semicolon/dialect.js';
import { modeDigit, modeFromDigit } from './modes.js';
import type { KenwoodCapability } from './profile.js';
import type { ZzHost } from './zz-commands.js';

/** What the Main/Sub commands need of the Kenwood emulator they extend (the same as the ZZ ones). */
type MainSubHost = Pick<ZzHost, 'rig' | 'profile' | 'set'>;

/** Main is VFO A and Sub is VFO B (DESIGN.md canonical model); the TS-990S names them 0 and 1. */
function vfoOf(digit: string | undefined): Vfo | undefined {
  return digit === '0' ? 'VFOA' : digit === '1' ? 'VFOB' : undefined;
}

const digitOf = (vfo: Vfo) => (vfo === 'VFOA' ? '0' : '1');

/**
 * The TS-990S's Main/Sub commands, as Hamlib 4.5.4's TS-990S backend uses them instead of FR/FT/MD/IF
 * (kenwood.c RIG_IS_TS990S; capture captures/ts990s.wire.txt): band_select (`CB`: the band operated on),
 * tx_band (`TB`: the band transmitted on; TB1 is split, RX Main and TX Sub), operating_mode (`OM0`/`OM1`:
 * Main's or Sub's mode; a set changes the operated band's, whatever its digit says).
 */
export const MAIN_SUB_COMMANDS: SemicolonCommandTable<MainSubHost, KenwoodCapability> = {
  CB: { needs: 'band_select', run: (h, args) => bandSelect(h, args) },
  TB: { needs: 'tx_band', run: (h, args) => txBand(h, args) },
  OM: { needs: 'operating_mode', run: (h, args) => operatingMode(h, args) },
};

function bandSelect(h: MainSubHost, args: string): CommandOutcome {
  if (!args) return { reply: `CB${digitOf(h.rig.vfo())}`, kind: 'query', meaning: 'get operating band' };
  const vfo = vfoOf(args);
  if (!vfo || args.length !== 1) return malformed(`CB${args}`);
  if (vfo === h.rig.vfo()) return { kind: 'set', meaning: `operate on ${vfo}` };
  return h.set(h.rig.selectVfo(vfo) === 'accepted', `operate on ${vfo}`);
}

function txBand(h: MainSubHost, args: string): CommandOutcome {
  const split = h.rig.split();
  if (!args) return { reply: `TB${split ? 1 : 0}`, kind: 'query', meaning: 'get TX band' };
  if (args !== '0' && args !== '1') return malformed(`TB${args}`);
  const on = args === '1';
  if (on === split && (!on || h.rig.txVfo() === 'VFOB'))
    return { kind: 'set', meaning: `split ${on ? 'on' : 'off'}` };
  return h.set(h.rig.setSplit(on, on ? 'VFOB' : 'VFOA') === 'accepted', `split ${on ? 'on' : 'off'}`);
}

function operatingMode(h: MainSubHost, args: string): CommandOutcome {
  const shown = vfoOf(args[0]);
  if (!shown || args.length > 2) return malformed(`OM${args}`);
  if (args.length === 1) {
    const { mode } = h.rig.mode(shown);
    return {
      reply: `OM${args}${modeDigit(h.profile, mode)}`,
      kind: 'query',
      meaning: `get ${shown} mode → ${mode}`,
    };
  }
  const vfo = h.rig.vfo();
  const mode = modeFromDigit(h.profile, args[1]!, 0);
  if (!mode)
    return { reply: '?', kind: 'malformed', meaning: `mode ${args[1]} does not exist on this radio` };
  if (mode === h.rig.mode(vfo).mode) return { kind: 'set', meaning: `set ${vfo} mode ${mode}` };
  return h.set(h.rig.setMode(vfo, mode, 0) === 'accepted', `set ${vfo} mode ${mode}`);
}
