/** Test helper: one STS GetCallerIdentity call made by a real AWS client in its own process, from its default chain. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { peers } from "./peers.js";

/** The clients of the SDK matrix. */
export const SDK_CLIENTS = ["JS SDK v3", "boto3", "AWS CLI v1", "botocore 1.29"] as const;
/** One of them. */
export type SdkClient = (typeof SDK_CLIENTS)[number];

/** A finished call: exit code, the caller ARN it printed (if any) and its output. */
export interface CallOutcome {
  code: number | null;
  arn?: string;
  stdout: string;
  stderr: string;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

// the default provider chain of each client: nothing but the environment decides where credentials come from
const JS_CALL = `
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
const client = new STSClient({ maxAttempts: 1 });
const out = await client.send(new GetCallerIdentityCommand({}));
console.log(JSON.stringify({ arn: out.Arn }));
`;
const BOTO3_CALL = `
import json, boto3
print(json.dumps({"arn": boto3.client("sts").get_caller_identity()["Arn"]}))
`;
// botocore 1.29 knows no AWS_ENDPOINT_URL_STS: the endpoint is given in code
const BOTOCORE_CALL = `
import json, sys, botocore.session
client = botocore.session.get_session().create_client("sts", endpoint_url=sys.argv[1])
print(json.dumps({"arn": client.get_caller_identity()["Arn"]}))
`;

/**
 * Runs `client` with exactly `env` plus PATH (the pinned peers first) and the STS endpoint override that client
 * understands: AWS_ENDPOINT_URL_STS (JS v3, boto3), --endpoint-url (AWS CLI), endpoint_url in code (botocore 1.29).
 */
export function getCallerIdentityWith(
  client: SdkClient,
  env: Record<string, string>,
  sts: string,
): Promise<CallOutcome> {
  // a credential chain that falls through must never reach the real link-local IMDS address (tests stay on loopback):
  // unless the delivery under test is IMDS emulation on loopback, IMDS is switched off
  const imdsOff: Record<string, string> = env.AWS_EC2_METADATA_SERVICE_ENDPOINT
    ? {}
    : { AWS_EC2_METADATA_DISABLED: "true" };
  const base = { PATH: peers.path, ...imdsOff, ...env };
  switch (client) {
    case "JS SDK v3":
      return run(process.execPath, ["--input-type=module", "-e", JS_CALL], { ...base, AWS_ENDPOINT_URL_STS: sts });
    case "boto3":
      return run(peers.python, ["-c", BOTO3_CALL], { ...base, AWS_ENDPOINT_URL_STS: sts });
    case "AWS CLI v1":
      return run(peers.aws, ["sts", "get-caller-identity", "--endpoint-url", sts, "--output", "json"], base);
    case "botocore 1.29":
      return run(peers.pythonLegacy, ["-c", BOTOCORE_CALL, sts], base);
  }
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<CallOutcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d));
    p.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
    p.on("error", reject);
    p.on("close", (code) => {
      clearTimeout(timer);
      const arn = /"Arn"?:\s*"([^"]+)"/i.exec(stdout)?.[1];
      resolve({ code, arn, stdout, stderr });
    });
  });
}
