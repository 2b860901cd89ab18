import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';

/**
 * Opens a port's device as a client would (non-blocking, no controlling tty), writes `command`, and
 * collects what comes back within `ms`, stopping early once the answer ends with `stop`.
 */
export async function exchange(device: string, command: string, ms: number, stop = ';'): Promise<string> {
  const fd = openSync(device, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  try {
    writeSync(fd, command);
    let answer = '';
    const buffer = Buffer.alloc(256);
    const end = Date.now() + ms;
    while (Date.now() < end && !answer.endsWith(stop)) {
      try {
        answer += buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, null));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    return answer;
  } finally {
    closeSync(fd);
  }
}
