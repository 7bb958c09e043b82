/** Fault injection for the Roles Anywhere stand-in: the next N requests fail with a chosen status and error code. */

/** One injected fault, as passed to injectFault(). */
export interface FaultSpec {
  /** How many of the next requests fail. */
  count: number;
  status: number;
  /**
   * Sent as X-Amzn-ErrorType when given (e.g. "InternalServerException"); omitted otherwise, like a proxy's failure.
   */
  code?: string;
  message?: string;
}

/** A queue of faults consumed one request at a time. */
export interface FaultInjector {
  inject(fault: FaultSpec): void;
  /** The fault for this request, or undefined when none is pending. */
  next(): Omit<FaultSpec, "count"> | undefined;
}

/** Creates an empty fault queue. */
export function createFaultInjector(): FaultInjector {
  const queue: FaultSpec[] = [];
  return {
    inject(fault) {
      if (!Number.isInteger(fault.count) || fault.count < 1)
        throw new RangeError("fault count must be a positive integer");
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) {
        throw new RangeError("fault status must be an HTTP status code");
      }
      queue.push({ ...fault });
    },
    next() {
      const head = queue[0];
      if (!head) return undefined;
      head.count -= 1;
      if (head.count <= 0) queue.shift();
      return { status: head.status, code: head.code, message: head.message ?? "injected fault" };
    },
  };
}
