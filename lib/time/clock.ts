/** A clock that tests can replace: now() in epoch milliseconds and a cancellable sleep. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Node's largest timer delay, ms; setTimeout with a longer delay fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The real clock. sleep() rejects with the signal's reason when aborted; sleeps longer than MAX_TIMER_MS are waited out
 * in steps, since one timer cannot hold them.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const wakeAt = Date.now() + Math.max(0, ms);
      let timer: NodeJS.Timeout;
      const arm = (delayMs: number) => {
        timer = setTimeout(
          () => {
            const leftMs = wakeAt - Date.now();
            if (leftMs > 0) return arm(leftMs);
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
          Math.min(MAX_TIMER_MS, delayMs),
        );
      };
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      arm(Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
