/**
 * CI-V number encodings (research/hamlib.md §4.1): frequencies are 5 bytes of packed BCD, least
 * significant byte first, in Hz; levels and meters are 2 bytes of BCD (0000–0255), most significant
 * first; filter-width indexes and most settings are 1 byte of BCD.
 */

/** True when every nibble of every byte is a decimal digit. */
export function isBcd(bytes: Uint8Array): boolean {
  return bytes.every((b) => (b & 0x0f) <= 9 && b >> 4 <= 9);
}

/** `n` as `length` bytes of BCD, most significant byte first. */
export function toBcdBigEndian(n: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let rest = Math.max(0, Math.trunc(n));
  for (let i = length - 1; i >= 0; i--) {
    const low = rest % 10;
    rest = Math.trunc(rest / 10);
    const high = rest % 10;
    rest = Math.trunc(rest / 10);
    out[i] = (high << 4) | low;
  }
  return out;
}

/** The value of BCD bytes, most significant byte first; undefined if a nibble is not a digit. */
export function fromBcdBigEndian(bytes: Uint8Array): number | undefined {
  if (!isBcd(bytes)) return undefined;
  let n = 0;
  for (const b of bytes) n = n * 100 + (b >> 4) * 10 + (b & 0x0f);
  return n;
}

/** A frequency in Hz as CI-V sends it: 5 BCD bytes, least significant first (14.074 MHz: 00 40 07 14 00). */
export function frequencyBytes(hz: number): Uint8Array {
  return toBcdBigEndian(hz, 5).reverse();
}

/** The frequency in 5 (or, on the VHF/UHF models, 6) little-endian BCD bytes; undefined if not BCD. */
export function frequencyFrom(bytes: Uint8Array): number | undefined {
  if (bytes.length !== 5 && bytes.length !== 6) return undefined;
  return fromBcdBigEndian(Uint8Array.from(bytes).reverse());
}
