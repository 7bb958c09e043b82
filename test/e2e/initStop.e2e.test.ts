import { expect } from "chai";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startScriptedServer } from "../support/scriptedServer.js";
import { startCli } from "../support/startCli.js";

/** A JWT-shaped service-account token (Vault is scripted here and never checks it). */
function saJwt(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const claims = {
    iss: "kubernetes/serviceaccount",
    sub: "system:serviceaccount:demo:app",
    "kubernetes.io": { namespace: "demo", serviceaccount: { name: "app" } },
  };
  return `${part({ alg: "RS256" })}.${part(claims)}.c2ln`;
}

describe("iamra-vault init stopped while Vault does not answer (end to end)", function () {
  this.timeout(60_000);
  let vault: Awaited<ReturnType<typeof startScriptedServer>>;
  let dir: string;
  before(async () => {
    vault = await startScriptedServer([{ hang: true }]);
    dir = await mkdtemp(join(tmpdir(), "iamra-init-stop-"));
  });
  after(async () => {
    await vault?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("exits at once on SIGTERM with ABORTED and nothing written, not after 4 × 10 s of Vault timeouts", async () => {
    const out = join(dir, "out");
    await mkdir(out);
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, saJwt());
    const cli = startCli(["init"], {
      env: {
        VAULT_ADDR: vault.url,
        VAULT_ROLE: "app",
        ANCHOR_ARN: "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555",
        PROFILE_ARN: "arn:aws:rolesanywhere:us-east-1:123456789012:profile/11111111-2222-3333-4444-555555555555",
        ROLE_ARN: "arn:aws:iam::123456789012:role/app",
        IAMRA_SA_TOKEN_FILE: tokenFile,
        IAMRA_OUTPUT_DIR: out,
        IAMRA_VAULT_TIMEOUT: "120s", // without the stop the first attempt alone would last 120 s
      },
    });
    try {
      const deadline = Date.now() + 10_000;
      while (vault.seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(
        vault.seen.map((r) => r.url),
        "the login is in flight",
      ).to.deep.equal(["/v1/auth/kubernetes/login"]);
      const started = Date.now();
      const exit = await cli.stop(30_000);
      const tookMs = Date.now() - started;
      expect(exit.signal, "ended by itself, not killed").to.equal(null);
      expect(exit.code).to.equal(1);
      expect(tookMs, "ms from SIGTERM to exit").to.be.below(10_000);
      expect(cli.stderr()).to.contain("[ABORTED]");
      expect(await readdir(out), "files in the output directory").to.deep.equal([]);
      expect(vault.seen, "no retry after the stop").to.have.length(1);
    } finally {
      cli.kill();
    }
  });
});
