import { vi } from 'vitest';

/**
 * Fake time for unit tests of timed parts (timers, Date and performance.now): a deadline asserted under
 * fake time is the requirement itself, not a guess at how late a loaded CI machine runs real timers.
 */
export function useFakeTime(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
}

/** Lets `ms` of fake time pass, running every timer and promise due in it. */
export const sleep = (ms: number): Promise<void> => vi.advanceTimersByTimeAsync(ms).then(() => undefined);

/** Advances fake time in 10 ms steps until `check` holds; fails past `deadlineMs`. Returns the ms it took. */
export async function until(check: () => boolean, deadlineMs = 1000, what = 'condition'): Promise<number> {
  for (let elapsed = 0; ; elapsed += 10) {
    if (check()) return elapsed;
    if (elapsed >= deadlineMs) throw new Error(`${what} not met within ${deadlineMs} ms`);
    await sleep(10);
  }
}

/** Awaits a promise while fake time runs (a close waits on timers of its own). */
export async function settled<T>(promise: Promise<T>, deadlineMs = 5000): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  await until(() => done, deadlineMs, 'promise settled');
  return tracked;
}
