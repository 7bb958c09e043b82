import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/runCli.js";

/** A loopback HTTP server that counts TCP connections and answers every request 400 (non-retryable for Vault). */
async function startCountingServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(400, { "content-type": "application/json", connection: "close" });
    res.end('{"errors":["counting server"]}');
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const jwtPart = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
/** A service-account JWT shape (never verified here: the counting server stands in for Vault). */
const SA_JWT = [
  jwtPart({ alg: "RS256" }),
  jwtPart({
    sub: "system:serviceaccount:demo:app",
    "kubernetes.io": { namespace: "demo", serviceaccount: { name: "app" } },
  }),
  "c2ln",
].join(".");

interface BadCase {
  name: string;
  command?: "init" | "refresher";
  args?: string[];
  env?: Record<string, string>;
  /** The [CODE] expected on stderr. */
  code: string;
}

describe("bad settings never cost a network call", function () {
  this.timeout(240_000);
  let server: Awaited<ReturnType<typeof startCountingServer>>;
  let work: string;
  let files: { token: string; notPem: string; plainFile: string };

  before(async () => {
    server = await startCountingServer();
    work = await mkdtemp(join(tmpdir(), "iamra-bad-settings-"));
    files = { token: join(work, "token"), notPem: join(work, "not-pem.crt"), plainFile: join(work, "plain-file") };
    await writeFile(files.token, SA_JWT);
    await writeFile(files.notPem, "this is not a PEM certificate\n");
    await writeFile(files.plainFile, "a file, not a directory\n");
  });
  after(async () => {
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A complete configuration whose every endpoint (Vault, Roles Anywhere, STS) is the counting server. */
  function baseEnv(outputDir: string): Record<string, string> {
    return {
      VAULT_ADDR: server.url,
      VAULT_ROLE: "app",
      IAMRA_VAULT_MAX_ATTEMPTS: "1",
      IAMRA_SA_TOKEN_FILE: files.token,
      ANCHOR_ARN: "arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/11111111-2222-3333-4444-555555555555",
      PROFILE_ARN: "arn:aws:rolesanywhere:us-east-1:000000000000:profile/11111111-2222-3333-4444-555555555555",
      ROLE_ARN: "arn:aws:iam::000000000000:role/app",
      AWS_ENDPOINT_URL_ROLESANYWHERE: server.url,
      AWS_ENDPOINT_URL_STS: server.url,
      IAMRA_OUTPUT_DIR: outputDir,
      IAMRA_OPS_PORT: "0",
      IAMRA_ENDPOINT_PORT: "0",
    };
  }

  let n = 0;
  async function run(c: Omit<BadCase, "code" | "name">) {
    const outputDir = join(work, `out-${++n}`);
    const before = server.connections();
    const result = await runCli([c.command ?? "init", ...(c.args ?? [])], {
      env: { ...baseEnv(outputDir), ...c.env },
      timeoutMs: 60_000,
    });
    return { ...result, connections: server.connections() - before };
  }

  it("the counting server does count: a complete configuration connects to it and fails there (exit 1)", async () => {
    const r = await run({ args: ["--verify"] });
    expect(r.code, r.stderr).to.equal(1);
    expect(r.connections).to.be.at.least(1);
  });

  const tokenCases: Array<[string, string]> = [
    ["an empty", ""],
    ["a malformed", "not-a-jwt"],
  ];
  for (const [what, content] of tokenCases) {
    it(`reports ${what} service-account token as SA_TOKEN_INVALID (exit 1), before any connection`, async () => {
      const tokenFile = join(work, `token-${what.replace(/\W/g, "")}`);
      await writeFile(tokenFile, content);
      const r = await run({ env: { IAMRA_SA_TOKEN_FILE: tokenFile } });
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr)
        .to.contain("[SA_TOKEN_INVALID]")
        .and.contain(tokenFile)
        .and.match(/Hint: .*token/);
      expect(r.stderr).to.not.contain("--common-name");
      expect(r.connections).to.equal(0);
    });
  }

  const ctrl = "\u0007";
  const cases: BadCase[] = [
    { name: "a profile name with ]", args: ["--profile", "a]b"], code: "CONFIG_INVALID" },
    { name: "a profile name with a newline", env: { IAMRA_PROFILE: "a\nb" }, code: "CONFIG_INVALID" },
    { name: "file mode 0777", args: ["--file-mode", "0777"], code: "CONFIG_INVALID" },
    { name: "file mode 4777 (setuid)", args: ["--file-mode", "4777"], code: "CONFIG_INVALID" },
    { name: "file mode 0000", args: ["--file-mode", "0000"], code: "CONFIG_INVALID" },
    { name: "file mode 0666 (world-writable)", args: ["--file-mode", "0666"], code: "CONFIG_INVALID" },
    {
      name: "file mode 0777 in the refresher",
      command: "refresher",
      args: ["--file-mode", "0777"],
      code: "CONFIG_INVALID",
    },
    {
      name: "an ops host name that needs DNS",
      command: "refresher",
      args: ["--ops-host", "ops.example.invalid"],
      code: "CONFIG_INVALID",
    },
    {
      name: "a missing VAULT_CACERT",
      env: { VAULT_CACERT: join(tmpdir(), "iamra-no-such-ca.pem") },
      code: "SETTING_FILE_UNREADABLE",
    },
    { name: "a VAULT_CACERT that is not PEM", env: { VAULT_CACERT: "@notPem" }, code: "CA_CERT_INVALID" },
    {
      name: "a VAULT_CACERT that is not PEM, in the refresher",
      command: "refresher",
      env: { VAULT_CACERT: "@notPem" },
      code: "CA_CERT_INVALID",
    },
    {
      name: "a missing VAULT_CAPATH directory",
      env: { VAULT_CAPATH: join(tmpdir(), "iamra-no-such-dir") },
      code: "SETTING_FILE_UNREADABLE",
    },
    { name: "a --ca-bundle that is not PEM", args: ["--ca-bundle", "@notPem"], code: "CA_CERT_INVALID" },
    {
      name: "a trust anchor ARN with a control character",
      env: { ANCHOR_ARN: `arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/1111${ctrl}` },
      code: "ARN_INVALID",
    },
    {
      name: "a role ARN with a space",
      args: ["--role-arn", "arn:aws:iam::000000000000:role/a b"],
      code: "ARN_INVALID",
    },
    {
      name: "an --assume-role-arn that is not a role ARN",
      args: ["--assume-role-arn", "role/app"],
      code: "ARN_INVALID",
    },
    {
      name: "an output directory below a regular file",
      args: ["--output-dir", "@plainFile/out"],
      code: "OUTPUT_NOT_WRITABLE",
    },
    { name: "a Vault address that is not http(s)", env: { VAULT_ADDR: "ftp://127.0.0.1:1" }, code: "CONFIG_INVALID" },
    { name: "a zero timeout", args: ["--timeout", "0"], code: "CONFIG_INVALID" },
    { name: "a zero throttle budget", args: ["--throttle-budget", "0s"], code: "CONFIG_INVALID" },
    { name: "an STS endpoint that is not a URL", args: ["--sts-endpoint", "sts"], code: "CONFIG_INVALID" },
  ];
  /** "@name" at the start of a value stands for the path of files[name]. */
  const resolve = (v: string) => v.replace(/^@(\w+)/, (_m, k: keyof typeof files) => files[k]);

  for (const c of cases) {
    it(`refuses ${c.name} with exit 2, [${c.code}] and a hint, before any connection`, async () => {
      const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, resolve(v)]));
      const r = await run({ command: c.command, args: (c.args ?? []).map(resolve), env });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain(`[${c.code}]`);
      expect(r.stderr).to.match(/Hint: \S/);
      expect(r.connections, "connections to the counting server").to.equal(0);
    });
  }
});
