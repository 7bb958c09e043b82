import type { AwsCredentials } from "../rolesanywhere/parseCreateSessionResponse.js";
import { stsClient, stsError, type StsTarget } from "./stsCall.js";

/** The identity STS reports for a set of credentials. */
export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

/** STS GetCallerIdentity with `creds`: proves that the credentials work (init --verify). */
export async function getCallerIdentity(creds: AwsCredentials, target: StsTarget): Promise<CallerIdentity> {
  const { sts, client } = await stsClient(target, creds);
  try {
    const out = await client.send(new sts.GetCallerIdentityCommand({}));
    return { arn: out.Arn ?? "", account: out.Account ?? "", userId: out.UserId ?? "" };
  } catch (err) {
    throw stsError("verify", err, "the new credentials were refused by STS; check the clock and the STS endpoint (AWS_ENDPOINT_URL_STS)");
  } finally {
    client.destroy();
  }
}
