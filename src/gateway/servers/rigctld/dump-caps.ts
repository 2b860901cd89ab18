import { MODES, type Mode } from '../../../model/rig.js';
import type { FrequencyRange } from '../../backends/backend.js';
import { ALL_MODES, doorRanges, FILTERS, TX_POWER_MW, VFO_MASK } from './dump-state.js';
import { hamlibModeName, type LEVEL_BITS, MODE_BITS } from './vocabulary.js';

/**
 * The door's answer to `\dump_caps` (`1`): the capability report rigctld 4.5.4 prints for its radio,
 * line for line in its layout (test/doors/fixtures/rigctld-dump-caps.json has rigctld -m 1's), with the
 * door's facts — the same ones `\dump_state` gives (dump-state.ts): its modes, the backend's ranges,
 * its filters, RFPOWER and STRENGTH, VFO A and B. CQRLOG sends `+\dump_caps` when it connects and
 * reads the `Can …: Y/N` lines to decide what it may send (uRigControl.pas); a `Y` the door would
 * answer with RPRT -11 turns into errors in its log.
 */

/** Hamlib's mode names in its bit order (rig_strrmode; its lists follow the bits). */
const MODES_BY_BIT: readonly Mode[] = [...MODES].sort((a, b) => MODE_BITS[a] - MODE_BITS[b]);

/** `AM CW USB ` — Hamlib's lists end in a space. */
function modeList(mask: number): string {
  return MODES_BY_BIT.filter((mode) => (mask & MODE_BITS[mode]) !== 0)
    .map((mode) => `${hamlibModeName(mode)} `)
    .join('');
}

/** Hamlib's sprintf_freq: `1.0 Hz`, `2.4000 kHz`, `14.0740000 MHz`. */
function freqText(hz: number): string {
  if (Math.abs(hz) >= 1e9) return `${(hz / 1e9).toFixed(10)} GHz`;
  if (Math.abs(hz) >= 1e6) return `${(hz / 1e6).toFixed(7)} MHz`;
  if (Math.abs(hz) >= 1e3) return `${(hz / 1e3).toFixed(4)} kHz`;
  return `${hz.toFixed(1)} Hz`;
}

/** Normal, narrow and wide passband of a mode from the filter list, as Hamlib derives them. */
function passbands(bit: number): [number, number, number] {
  const first = FILTERS.findIndex(([modes]) => (modes & bit) !== 0);
  if (first < 0) return [0, 0, 0];
  const normal = FILTERS[first]![1];
  const later = FILTERS.slice(first + 1).filter(([modes]) => (modes & bit) !== 0);
  const narrow = later.find(([, width]) => width < normal)?.[1] ?? 0;
  const wide = later.find(([, width]) => width > normal)?.[1] ?? 0;
  return [normal, narrow, wide];
}

/** Yes/no per capability, in rigctld's order: what the door's command table serves. */
const CAN: readonly [string, boolean][] = [
  ['Has priv data', false],
  ['Has Init', true],
  ['Has Cleanup', true],
  ['Has Open', true],
  ['Has Close', true],
  ['Can set Conf', false],
  ['Can get Conf', false],
  ['Can set Frequency', true],
  ['Can get Frequency', true],
  ['Can set Mode', true],
  ['Can get Mode', true],
  ['Can set VFO', true],
  ['Can get VFO', true],
  ['Can set PTT', true],
  ['Can get PTT', true],
  ['Can get DCD', false],
  ['Can set Repeater Duplex', false],
  ['Can get Repeater Duplex', false],
  ['Can set Repeater Offset', false],
  ['Can get Repeater Offset', false],
  ['Can set Split Freq', true],
  ['Can get Split Freq', true],
  ['Can set Split Mode', true],
  ['Can get Split Mode', true],
  ['Can set Split VFO', true],
  ['Can get Split VFO', true],
  ['Can set Tuning Step', false],
  ['Can get Tuning Step', false],
  ['Can set RIT', false],
  ['Can get RIT', false],
  ['Can set XIT', false],
  ['Can get XIT', false],
  ['Can set CTCSS', false],
  ['Can get CTCSS', false],
  ['Can set DCS', false],
  ['Can get DCS', false],
  ['Can set CTCSS Squelch', false],
  ['Can get CTCSS Squelch', false],
  ['Can set DCS Squelch', false],
  ['Can get DCS Squelch', false],
  // set_powerstat 1 is accepted (the radio answers, so it is on); 0 is refused (commands.ts).
  ['Can set Power Stat', true],
  ['Can get Power Stat', true],
  ['Can Reset', false],
  ['Can get Ant', false],
  ['Can set Ant', false],
  ['Can set Transceive', false],
  ['Can get Transceive', false],
  ['Can set Func', false],
  ['Can get Func', false],
  ['Can set Level', true],
  ['Can get Level', true],
  ['Can set Param', false],
  ['Can get Param', false],
  ['Can send DTMF', false],
  ['Can recv DTMF', false],
  ['Can send Morse', false],
  ['Can send Voice', false],
  ['Can decode Events', false],
  ['Can set Bank', false],
  ['Can set Mem', false],
  ['Can get Mem', false],
  ['Can set Channel', false],
  ['Can get Channel', false],
  ['Can ctl Mem/VFO', false],
  ['Can Scan', false],
  ['Can get Info', false],
  // \dump_state says has_power2mW=0 and has_mW2power=0.
  ['Can get power2mW', false],
  ['Can get mW2power', false],
];

export function dumpCaps(backendRanges: readonly FrequencyRange[] | null): string {
  const ranges = doorRanges(backendRanges);
  const modes = modeList(ALL_MODES);
  const vfos = VFO_MASK === 0x3 ? 'VFOA VFOB ' : '';
  const levels = (names: (keyof typeof LEVEL_BITS)[]) => names.map((name) => `${name}(0..0/0) `).join('');
  const rangeLines = (tx: boolean) =>
    ranges.flatMap((r) => [
      `\t${r.fromHz} Hz - ${r.toHz} Hz`,
      `\t\tVFO list: ${vfos}`,
      `\t\tMode list: ${modes}`,
      '\t\tAntenna list: ANT1 ',
      ...(tx ? [`\t\tLow power: ${TX_POWER_MW.low / 1000} W, High power: ${TX_POWER_MW.high / 1000} W`] : []),
    ]);
  const lists = [1, 2, 3, 4, 5].flatMap((n) => [
    `TX ranges #${n} for TBD:`,
    ...(n === 1 ? rangeLines(true) : []),
    `RX ranges #${n} for TBD:`,
    ...(n === 1 ? rangeLines(false) : []),
  ]);
  const statuses = [1, 2, 3, 4, 5].flatMap((n) => [
    `TX ranges #${n} status for TBD:\tOK (0)`,
    `RX ranges #${n} status for TBD:\tOK (0)`,
  ]);
  const bandwidths = MODES_BY_BIT.flatMap((mode) => {
    const [normal, narrow, wide] = passbands(MODE_BITS[mode]);
    if (normal === 0) return [];
    return [
      `\t${hamlibModeName(mode)}\tNormal: ${freqText(normal)},\tNarrow: ${freqText(narrow)},\tWide: ${freqText(wide)}`,
    ];
  });
  const lines = [
    // Model 1, as \dump_state says: the door is no Hamlib model and triggers no model quirks.
    'Caps dump for model: 1',
    'Model name:\tcatbridge',
    'Mfg name:\tcatbridge',
    'Backend version:\t20230106.0',
    'Backend copyright:\tLGPL',
    'Backend status:\tStable',
    // A transceiver is RX and TX (and every type is "Other" too), so Hamlib lists all three.
    'Rig type:\tOther Receiver Transmitter Transceiver ',
    'PTT type:\tRig capable',
    'DCD type:\tNone',
    'Port type:\tNetwork link',
    'Write delay: 0mS, timeout 0mS, 0 retry',
    'Post Write delay: 0mS',
    // Untargetable, as \dump_state's targetable_vfo=0x0 says (why: dump-state.ts).
    'Has targetable VFO: N',
    'Has async data support: N',
    'Announce: 0x0',
    'Max RIT: -0.0kHz/+0.0kHz',
    'Max XIT: -0.0kHz/+0.0kHz',
    'Max IF-SHIFT: -0.0kHz/+0.0kHz',
    'Preamp: None',
    'Attenuator: None',
    'AGC levels:',
    '',
    'CTCSS: None',
    'DCS: None',
    'Get functions: ',
    'Set functions: ',
    'Extra functions:',
    `Get level: ${levels(['RFPOWER', 'STRENGTH'])}`,
    `Set level: ${levels(['RFPOWER'])}`,
    'Extra levels:',
    'Get parameters: ',
    'Set parameters: ',
    'Extra parameters:',
    `Mode list: ${modes}`,
    `VFO list: ${vfos}`,
    'VFO Ops: ',
    'Scan Ops: ',
    'Number of banks:\t0',
    'Memory name desc size:\t0',
    'Memories: None',
    ...lists,
    ...statuses,
    'Tuning steps:',
    `\t${freqText(1)}:   \t${modes}`,
    'Tuning steps status:\tOK (0)',
    'Filters:',
    ...FILTERS.map(([mask, width]) => `\t${freqText(width)}:   \t${modeList(mask)}`),
    'Bandwidths:',
    ...bandwidths,
    'Spectrum scopes: None',
    'Spectrum modes: ',
    'Spectrum spans: ',
    'Spectrum averaging modes: ',
    'Spectrum attenuator: None',
    ...CAN.map(([label, yes]) => `${label}:\t${yes ? 'Y' : 'N'}`),
    '',
    'Overall backend warnings: 0   ',
  ];
  return `${lines.join('\n')}\n`;
}
