/**
 * Cuts a Kenwood byte stream into `;`-terminated commands. Bytes may arrive split anywhere, several
 * commands may arrive in one write (Hamlib sends `FR0;FT1;ID;` at once), and some clients put CR/LF
 * or NUL between commands, which a real radio ignores.
 *
 * Memory is bounded: a run of more than `maxFrameBytes` without `;` is dropped (reported once per run)
 * and framing resumes after the next `;`.
 */
export class KenwoodFramer {
  private buffer = '';
  private overflowing = false;

  constructor(private readonly maxFrameBytes = 64) {}

  /** Feeds bytes; calls `onCommand` with each command without its `;`, `onOverflow` with dropped runs. */
  push(bytes: Uint8Array, onCommand: (command: string) => void, onOverflow: (dropped: string) => void): void {
    for (const byte of bytes) {
      if (byte === 0x3b /* ; */) {
        if (this.overflowing) {
          this.overflowing = false;
        } else {
          const command = this.buffer;
          this.buffer = '';
          onCommand(command);
        }
        this.buffer = '';
        continue;
      }
      if (byte === 0x0d || byte === 0x0a || byte === 0x00) continue;
      if (this.overflowing) continue;
      if (this.buffer.length >= this.maxFrameBytes) {
        onOverflow(this.buffer);
        this.buffer = '';
        this.overflowing = true;
        continue;
      }
      this.buffer += String.fromCharCode(byte);
    }
  }

  /** Bytes held while waiting for a `;` (for tests of the bound). */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.buffer = '';
    this.overflowing = false;
  }
}
