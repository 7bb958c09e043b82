/** Test helper: long-running AWS SDK clients (one client each, created once) calling GetCallerIdentity in a loop. */
import { spawn } from "node:child_process";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

import { peers } from "./peers.js";
/** What STSClient accepts as `credentials`. */
type StsCredentials = NonNullable<ConstructorParameters<typeof STSClient>[0]>["credentials"];

/** One call's outcome. */
export interface CallResult {
  ok: boolean;
  /** The caller ARN on success, the error code otherwise. */
  detail: string;
  atMs: number;
}

/** One STSClient (JS v3), created once, calling GetCallerIdentity every `everyMs` for `forMs`. */
export async function jsClientLoop(o: {
  sts: string;
  credentials: StsCredentials;
  forMs: number;
  everyMs?: number;
}): Promise<CallResult[]> {
  const client = new STSClient({ region: "us-east-1", endpoint: o.sts, credentials: o.credentials, maxAttempts: 1 });
  const results: CallResult[] = [];
  const end = Date.now() + o.forMs;
  try {
    while (Date.now() < end) {
      try {
        const who = await client.send(new GetCallerIdentityCommand({}));
        results.push({ ok: true, detail: who.Arn ?? "", atMs: Date.now() });
      } catch (err) {
        results.push({ ok: false, detail: (err as { name?: string }).name ?? String(err), atMs: Date.now() });
      }
      await new Promise((r) => setTimeout(r, o.everyMs ?? 1000));
    }
  } finally {
    client.destroy();
  }
  return results;
}

const BOTO_LOOP = `
import json, sys, time
import boto3, botocore
from botocore.config import Config
client = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1",
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}))
end = time.time() + float(sys.argv[2])
print(json.dumps({"botocore": botocore.__version__}), flush=True)
while time.time() < end:
    try:
        arn = client.get_caller_identity()["Arn"]
        print(json.dumps({"ok": True, "detail": arn, "atMs": int(time.time() * 1000)}), flush=True)
    except Exception as e:
        code = e.response["Error"]["Code"] if hasattr(e, "response") else type(e).__name__
        print(json.dumps({"ok": False, "detail": code, "atMs": int(time.time() * 1000)}), flush=True)
    time.sleep(float(sys.argv[3]))
`;

/**
 * One boto3 STS client, created once in one python3 process (the pinned test peer, botocore ≥ 1.32, which reads
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), calling GetCallerIdentity every `everyMs` for `forMs`. `env` picks the
 * credential source (container endpoint or shared credentials file); nothing else from this process's env leaks in.
 */
export function botoClientLoop(o: {
  sts: string;
  env: Record<string, string>;
  forMs: number;
  everyMs?: number;
  python?: string;
}): Promise<{ version: string; results: CallResult[]; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      o.python ?? peers.python,
      ["-c", BOTO_LOOP, o.sts, String(o.forMs / 1000), String((o.everyMs ?? 1000) / 1000)],
      {
        env: { PATH: peers.path, AWS_EC2_METADATA_DISABLED: "true", ...o.env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d));
    p.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), o.forMs + 20_000);
    p.on("error", reject);
    p.on("close", (code) => {
      clearTimeout(timer);
      const lines = stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const version = String(lines.find((l) => "botocore" in l)?.botocore ?? "?");
      resolve({ version, results: lines.filter((l) => "ok" in l) as unknown as CallResult[], stderr, code });
    });
  });
}
