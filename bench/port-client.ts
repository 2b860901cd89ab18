/**
 * The client side of a port for benches: the device opened as a program opens it (non-blocking, no
 * controlling tty), bytes written through a full pty, answers drained.
 */
import { constants, openSync, readSync, writeSync } from 'node:fs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

export function openPort(link: string): number {
  return openSync(link, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
}

/** Whatever the port answered, dropped; the bytes read. */
export function drain(fd: number): number {
  const buffer = Buffer.alloc(4096);
  let total = 0;
  for (let i = 0; i < 64; i++) {
    try {
      const n = readSync(fd, buffer);
      if (n <= 0) break;
      total += n;
    } catch {
      break; // EAGAIN: nothing more
    }
  }
  return total;
}

/** Writes all of `data`, waiting out a full pty (bounded). */
export async function writeAll(fd: number, data: Buffer): Promise<void> {
  let offset = 0;
  const deadline = now() + 5000;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      if (now() > deadline) throw new Error(`port would not take ${data.length - offset} more bytes`);
      await sleep(1);
    }
  }
}

/** Writes `request` until the port answers with something containing `expect` (the radio was read). */
export async function handshake(
  fd: number,
  request: Buffer,
  expect: (reply: Buffer) => boolean,
): Promise<void> {
  const deadline = now() + 5000;
  const buffer = Buffer.alloc(256);
  while (now() < deadline) {
    await writeAll(fd, request);
    await sleep(20);
    try {
      const n = readSync(fd, buffer);
      if (n > 0 && expect(buffer.subarray(0, n))) return;
    } catch {
      // EAGAIN: no answer yet
    }
    await sleep(30);
  }
  throw new Error('the port did not answer');
}

/**
 * Sends `request` and reads until `complete` says the answer is whole, or `timeoutMs` passes; the
 * answer, or undefined on a timeout.
 */
export async function ask(
  fd: number,
  request: Buffer,
  complete: (answer: Buffer) => boolean,
  timeoutMs: number,
): Promise<Buffer | undefined> {
  await writeAll(fd, request);
  const deadline = now() + timeoutMs;
  const buffer = Buffer.alloc(256);
  let answer = Buffer.alloc(0);
  while (now() < deadline) {
    try {
      const n = readSync(fd, buffer);
      if (n > 0) answer = Buffer.concat([answer, buffer.subarray(0, n)]);
      if (complete(answer)) return answer;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      await sleep(2);
    }
  }
  return undefined;
}
