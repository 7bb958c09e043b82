import type { CommandContext } from "../cli/commandSpec.js";
import type { ValuesOf } from "../lib/config/setting.js";
import type { tokenSettings } from "./devstackCommand.js";
import { IamraError } from "../lib/errors.js";

/**
 * Asks the running devstack's admin endpoint for a service-account token and prints it (no newline unless a terminal).
 */
export async function runDevstackToken(v: ValuesOf<typeof tokenSettings>, ctx: CommandContext): Promise<void> {
  const url = `${v.adminUrl ?? `http://127.0.0.1:${v.portBase + 4}`}/v1/tokens`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        namespace: v.namespace,
        serviceAccount: v.serviceAccount,
        audiences: v.audience ? [v.audience] : undefined,
        ttlSeconds: Math.round(v.ttlMs / 1000),
      }),
      signal: AbortSignal.timeout(5000),
    });
  } catch (cause) {
    throw new IamraError({
      code: "DEVSTACK_UNREACHABLE",
      message: `no devstack answers at ${url}`,
      hint: "start it with `npm run devstack` (same --port-base), or pass --admin-url",
      cause,
    });
  }
  const body = (await res.json()) as { token?: string; error?: string };
  if (!res.ok || !body.token) {
    throw new IamraError({
      code: "DEVSTACK_TOKEN_FAILED",
      message: `devstack refused to mint a token: ${body.error ?? res.status}`,
      hint: "check --namespace and --service-account",
    });
  }
  ctx.stdout.write(process.stdout.isTTY ? `${body.token}\n` : body.token);
}
