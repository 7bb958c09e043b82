/** Honouring a stop (SIGTERM/SIGINT): the typed error for work cut short, and helpers that end work at once. */
import { IamraError } from "../errors.js";

/** The typed error for work ended by a stop: code ABORTED, not retryable, naming the step that was cut short. */
export function stoppedError(reason: unknown, step: string, cause?: unknown): IamraError {
  const why = reason instanceof Error ? reason.message : String(reason ?? "stop requested");
  return new IamraError({
    code: "ABORTED",
    message: `stopped (${why}) during ${step}`,
    hint: "the process was asked to stop (SIGTERM/SIGINT); nothing is written after a stop",
    retryable: false,
    step,
    cause,
  });
}

/** Throws stoppedError when `signal` has been aborted (called before each write and each upstream call). */
export function throwIfStopped(signal: AbortSignal | undefined, step: string): void {
  if (signal?.aborted) throw stoppedError(signal.reason, step);
}

/**
 * Settles as `work` does, or rejects with stoppedError as soon as `signal` aborts. `work` is left to settle on its own
 * (callers also abort the underlying request); its later result or failure is ignored.
 */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal | undefined, step: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined); // the stop wins; the request's own failure is of no interest any more
    return Promise.reject(stoppedError(signal.reason, step));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined); // the stop wins; the request's own failure is of no interest any more
      reject(stoppedError(signal.reason, step));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
