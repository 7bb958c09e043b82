import { callSts, stsError, type StsTarget } from "./stsCall.js";
import type { AwsCredentials } from "../credentials/awsCredentials.js";

/** The identity STS reports for a set of credentials. */
export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

/**
 * STS GetCallerIdentity with `creds`: proves that the credentials work (init --verify). Each request ends within
 * target.timeoutMs; `signal` (a stop) aborts the call at once with ABORTED.
 */
export async function getCallerIdentity(
  creds: AwsCredentials,
  target: StsTarget,
  signal?: AbortSignal,
): Promise<CallerIdentity> {
  return callSts(
    target,
    creds,
    "verify",
    signal,
    async (sts, client, abortSignal) => {
      const out = await client.send(new sts.GetCallerIdentityCommand({}), { abortSignal });
      return { arn: out.Arn ?? "", account: out.Account ?? "", userId: out.UserId ?? "" };
    },
    (err) =>
      stsError(
        "verify",
        err,
        "the new credentials were refused by STS; check the clock and the STS endpoint (AWS_ENDPOINT_URL_STS)",
      ),
  );
}
