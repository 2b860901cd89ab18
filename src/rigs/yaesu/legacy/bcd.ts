/**
 * Frequencies on the 5-byte CAT are 8 BCD digits, big-endian, in 10 Hz units: 14.074 MHz is
 * `01 40 74 00` (research/hamlib.md §6.1).
 */
export function encodeFreq(hz: number): Uint8Array {
  const tens = Math.max(0, Math.min(99_999_999, Math.floor(hz / 10)));
  const text = String(tens).padStart(8, '0');
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) out[i] = (Number(text[2 * i]) << 4) | Number(text[2 * i + 1]);
  return out;
}

/** The frequency in Hz of 4 BCD bytes; undefined when a nibble is not a decimal digit. */
export function decodeFreq(bytes: Uint8Array): number | undefined {
  let tens = 0;
  for (let i = 0; i < 4; i++) {
    const byte = bytes[i] ?? 0;
    const high = byte >> 4;
    const low = byte & 0x0f;
    if (high > 9 || low > 9) return undefined;
    tens = tens * 100 + high * 10 + low;
  }
  return tens * 10;
}
