/**
 * Test helper: runs `fn` and returns the IamraError it throws, failing the test if it does not throw one with `code`.
 */
import { expect } from "chai";
import { isIamraError, type IamraError } from "../../lib/errors.js";

/** The IamraError thrown by `fn` (sync or async), after checking its code. */
export async function expectIamraError(fn: () => unknown, code: string): Promise<IamraError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (err) {
    thrown = err;
  }
  // by brand, not instanceof: code loaded through a dynamic import may come from a second copy of lib/errors under tsx
  expect(isIamraError(thrown), `expected ${code} to be thrown, got ${String(thrown)}`).to.equal(true);
  expect((thrown as IamraError).code).to.equal(code);
  return thrown as IamraError;
}
