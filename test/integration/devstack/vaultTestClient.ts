/**
 * Test helper: a bare Vault HTTP client for the stand-in's tests, independent of the product's client. A 2xx answer
 * resolves with the parsed JSON ("" when empty); any other status rejects with Vault's first error as message and
 * `response` { statusCode, body }; no answer within `timeoutMs` rejects with code ETIMEDOUT.
 */
import http from "node:http";

type Json = Record<string, unknown>;

/** What a request rejects with: the message and, for HTTP errors, the status and body. */
export type VaultClientError = Error & { code?: string; response?: { statusCode: number; body: unknown } };

/** The calls the stand-in tests make, named after the Vault API paths they use. */
export interface TestVaultClient {
  token?: string;
  read(path: string): Promise<unknown>;
  write(path: string, data: Json): Promise<unknown>;
  delete(path: string): Promise<unknown>;
  /** GET <path>?list=true. */
  list(path: string): Promise<unknown>;
  mount(opts: { mount_point: string; type: string }): Promise<unknown>;
  mounts(): Promise<unknown>;
  enableAuth(opts: { mount_point: string; type: string }): Promise<unknown>;
  auths(): Promise<unknown>;
  status(): Promise<unknown>;
  unseal(opts: { key: string }): Promise<unknown>;
  /** GET sys/health; resolves with the body whatever the status. */
  health(): Promise<unknown>;
  tokenCreate(opts: Json): Promise<unknown>;
  tokenLookupSelf(): Promise<unknown>;
  tokenRenewSelf(opts?: Json): Promise<unknown>;
  tokenRevokeSelf(): Promise<unknown>;
  /** POST auth/<mount_point>/login; the client keeps the new token. */
  kubernetesLogin(opts: { role: string; jwt: string; mount_point: string }): Promise<unknown>;
}

/** A client for the Vault at `url`, optionally with a token and a per-request timeout (ms). */
export function testVaultClient(url: string, token?: string, timeoutMs = 10_000): TestVaultClient {
  const call = (method: string, path: string, data?: Json, anyStatus = false) =>
    request(url, method, path, client.token, data, timeoutMs, anyStatus);
  const withoutMount = ({ mount_point: _m, ...rest }: { mount_point: string } & Json) => rest;
  const client: TestVaultClient = {
    token,
    read: (p) => call("GET", p),
    write: (p, d) => call("POST", p, d),
    delete: (p) => call("DELETE", p),
    list: (p) => call("GET", `${p}?list=true`),
    mount: (o) => call("POST", `sys/mounts/${o.mount_point}`, withoutMount(o)),
    mounts: () => call("GET", "sys/mounts"),
    enableAuth: (o) => call("POST", `sys/auth/${o.mount_point}`, withoutMount(o)),
    auths: () => call("GET", "sys/auth"),
    status: () => call("GET", "sys/seal-status"),
    unseal: (o) => call("PUT", "sys/unseal", o),
    health: () => call("GET", "sys/health", undefined, true),
    tokenCreate: (o) => call("POST", "auth/token/create", o),
    tokenLookupSelf: () => call("GET", "auth/token/lookup-self"),
    tokenRenewSelf: (o = {}) => call("POST", "auth/token/renew-self", o),
    tokenRevokeSelf: () => call("POST", "auth/token/revoke-self"),
    async kubernetesLogin(o) {
      const answer = (await call("POST", `auth/${o.mount_point}/login`, { role: o.role, jwt: o.jwt })) as {
        auth: { client_token: string };
      };
      client.token = answer.auth.client_token;
      return answer;
    },
  };
  return client;
}

function request(
  url: string,
  method: string,
  path: string,
  token: string | undefined,
  data: Json | undefined,
  timeoutMs: number,
  anyStatus: boolean,
): Promise<unknown> {
  const payload = data === undefined ? undefined : JSON.stringify(data);
  const headers: Record<string, string> = {};
  if (token) headers["x-vault-token"] = token;
  if (payload !== undefined) headers["content-type"] = "application/json";
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/${path}`, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          if (text) body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        const status = res.statusCode ?? 0;
        if (anyStatus || (status >= 200 && status < 300)) return resolve(body);
        const first = (body as { errors?: unknown[] } | null)?.errors?.[0];
        const err: VaultClientError = new Error(typeof first === "string" ? first : `Status ${status}`);
        err.response = { statusCode: status, body };
        reject(err);
      });
    });
    const timedOut = Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" });
    req.on("timeout", () => req.destroy(timedOut));
    req.on("error", reject);
    req.end(payload);
  });
}
