import type { FrameEvent } from '../../rigs/emulator.js';
import { describeValue, type FieldValue } from '../rig/fields.js';

/**
 * The decoded CAT trace: what one frame on a port looked like on the wire and what it meant, in a form
 * a person reads (`FA; → get VFO A frequency → 14.074 000 MHz`). Built only when someone is watching.
 */

export interface WireBytes {
  /** `46 41 3B` */
  hex: string;
  /** `FA;`, with every byte outside printable ASCII shown as `·`. */
  text: string;
}

export interface TraceFrame {
  type: 'frame';
  port: string;
  /** When the frame was handled, ISO 8601. */
  at: string;
  kind: FrameEvent['kind'];
  /** client → catbridge */
  request: WireBytes;
  /** catbridge → client; empty when the radio stays silent (a Kenwood set). */
  reply: WireBytes;
  meaning: string;
  /** The one-line form: request, meaning, with frequencies in MHz. */
  summary: string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

export function wireBytes(bytes: Uint8Array): WireBytes {
  return { hex: hexOf(bytes), text: textOf(bytes) };
}

function hexOf(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += i === 0 ? HEX[bytes[i]!] : ` ${HEX[bytes[i]!]}`;
  return hex;
}

function textOf(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';
  }
  return text;
}

function printable(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! < 0x20 || bytes[i]! >= 0x7f) return false;
  return true;
}

/** 14074000 → `14.074 000 MHz`, 7000 → `7 000 Hz`: the way a radio's display groups the digits. */
export function formatHz(hz: number): string {
  if (hz < 100_000) return `${hz.toLocaleString('en-US').replace(/,/g, ' ')} Hz`;
  const mhz = Math.floor(hz / 1_000_000);
  const rest = String(hz % 1_000_000).padStart(6, '0');
  return `${mhz}.${rest.slice(0, 3)} ${rest.slice(3)} MHz`;
}

/** Frequencies the emulators print in Hz (`→ 14074000 Hz`) become MHz; passbands stay in Hz. */
export function prettyMeaning(meaning: string): string {
  if (!meaning.includes(' Hz')) return meaning;
  return meaning.replace(/\b(\d{6,}) Hz\b/g, (_, digits: string) => formatHz(Number(digits)));
}

/** A printable frame (Kenwood, Yaesu newcat) is shown as text, a binary one (CI-V) as hex. */
function shown(raw: Uint8Array, bytes: WireBytes): string {
  return printable(raw) ? bytes.text : bytes.hex;
}

export function traceFrame(port: string, event: FrameEvent, atMs: number): TraceFrame {
  const request = wireBytes(event.request);
  const reply = wireBytes(event.reply);
  const meaning = prettyMeaning(event.meaning);
  const answer = event.reply.length > 0 ? ` ⇐ ${shown(event.reply, reply)}` : '';
  return {
    type: 'frame',
    port,
    at: new Date(atMs).toISOString(),
    kind: event.kind,
    request,
    reply,
    meaning,
    summary: `${shown(event.request, request)} → ${meaning}${answer}`,
  };
}

/** A backend call as the trace shows it: `set freqA=14074000` → `set VFO A frequency 14.074 000 MHz`. */
export function describeCall(value: FieldValue): string {
  switch (value.field) {
    case 'freqA':
    case 'freqB':
      return `set VFO ${value.field === 'freqA' ? 'A' : 'B'} frequency ${formatHz(value.hz)}`;
    case 'modeA':
    case 'modeB':
      return `set VFO ${value.field === 'modeA' ? 'A' : 'B'} mode ${value.mode} ${value.passband} Hz`;
    case 'vfo':
      return `select ${value.vfo}`;
    case 'split':
      return value.on ? `split on, TX on ${value.txVfo}` : 'split off';
    case 'ptt':
      return value.on ? 'PTT on (transmit)' : 'PTT off (receive)';
    default:
      return describeValue(value);
  }
}
