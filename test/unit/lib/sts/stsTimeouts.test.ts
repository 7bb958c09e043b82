import { expect } from "chai";
import { assumeRole } from "../../../../lib/sts/assumeRole.js";
import { getCallerIdentity } from "../../../../lib/sts/getCallerIdentity.js";
import { isIamraError } from "../../../../lib/errors.js";
import { startScriptedServer } from "../../../support/scriptedServer.js";
import { testCredentials } from "../../../support/testCredentials.js";

/** Settles `p` and reports how long it took, failing the test if it takes longer than `limitMs`. */
async function outcomeWithin<T>(p: Promise<T>, limitMs: number): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([p, limit]);
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    if ((error as Error).message === `still running after ${limitMs} ms`) throw error;
    return { error, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

describe("STS calls against a server that never answers", function () {
  this.timeout(60_000);
  let sts: Awaited<ReturnType<typeof startScriptedServer>>;
  before(async () => {
    sts = await startScriptedServer([{ hang: true }]);
  });
  after(async () => sts?.close());

  const target = () => ({ region: "us-east-1", endpoint: sts.url, timeoutMs: 300, maxAttempts: 2 });

  it("getCallerIdentity fails with a retryable STS_VERIFY_FAILED once the attempts time out", async () => {
    const before = sts.seen.length;
    const call = getCallerIdentity(testCredentials(Date.now() + 3_600_000), target());
    const { error, ms } = await outcomeWithin(call, 20_000);
    expect(isIamraError(error), String(error)).to.equal(true);
    expect((error as { code: string }).code).to.equal("STS_VERIFY_FAILED");
    expect((error as { retryable: boolean }).retryable).to.equal(true);
    expect(sts.seen.length - before, "both attempts reached the server").to.equal(2);
    // the server never answers: without the 300 ms timeouts the call would hang until outcomeWithin gives up
    expect(ms, "two 300 ms attempts plus the SDK's backoff").to.be.below(20_000);
  });

  it("assumeRole fails with STS_ASSUME_ROLE_FAILED once the attempts time out", async () => {
    const cfg = { roleArn: "arn:aws:iam::123456789012:role/target", roleSessionName: "s" };
    const { error } = await outcomeWithin(assumeRole(testCredentials(Date.now() + 3_600_000), cfg, target()), 20_000);
    expect(isIamraError(error), String(error)).to.equal(true);
    expect((error as { code: string }).code).to.equal("STS_ASSUME_ROLE_FAILED");
  });

  it("a stop aborts a hung call at once with ABORTED, long before the timeout", async () => {
    const stop = new AbortController();
    const slow = { ...target(), timeoutMs: 120_000, maxAttempts: 3 }; // without the stop: 120 s or more
    const seen = sts.seen.length;
    const call = getCallerIdentity(testCredentials(Date.now() + 3_600_000), slow, stop.signal);
    const deadline = Date.now() + 15_000;
    while (sts.seen.length === seen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(sts.seen.length, "the request reached the server").to.equal(seen + 1);
    stop.abort(new Error("received SIGTERM"));
    const { error, ms } = await outcomeWithin(call, 10_000);
    expect((error as { code?: string }).code, String(error)).to.equal("ABORTED");
    expect(ms).to.be.below(10_000);
  });
});
