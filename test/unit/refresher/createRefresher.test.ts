import { expect } from "chai";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { refresherCommand } from "../../../refresher/refresherCommand.js";
import { createRefresher, type RefresherValues } from "../../../refresher/createRefresher.js";
import { resolveSettings } from "../../../lib/config/resolveSettings.js";
import { systemClock } from "../../../lib/time/clock.js";
import { generateKeyPair } from "../../../lib/x509/generateKeyPair.js";
import { makeCertificate } from "../../../devstack/certificates/makeCertificate.js";
import { captureLogs } from "../../support/captureLogs.js";
import { createLogger } from "../../../lib/log.js";
import { startScriptedServer } from "../../support/scriptedServer.js";
import { cryptoKeyPairOf } from "../../../devstack/certificates/cryptoKeyPairOf.js";

const ROLE_ARN = "arn:aws:iam::111122223333:role/app";

describe("createRefresher", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-create-refresher-"));
  });
  afterEach(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Files identity, Roles Anywhere answered by a scripted server: the refresher's settings and environment. */
  async function scene() {
    const ca = await makeCertificate({ subject: "CN=Agent CA", ca: true });
    const pair = await generateKeyPair("ec-p256");
    const leaf = await makeCertificate({ subject: "CN=agent", issuer: ca, keys: await cryptoKeyPairOf(pair) });
    const keyObject = pair.signingKey.keyObject;
    await writeFile(join(dir, "tls.crt"), leaf.pem);
    await writeFile(join(dir, "tls.key"), keyObject.export({ type: "pkcs8", format: "pem" }) as string);
    const expiration = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const credentials = { accessKeyId: "ASIACOMPOSED", secretAccessKey: "s3cr3t", sessionToken: "tok", expiration };
    server = await startScriptedServer([
      { status: 201, body: JSON.stringify({ credentialSet: [{ credentials, roleArn: ROLE_ARN }] }) },
    ]);
    const env = {
      IAMRA_IDENTITY_SOURCE: "files",
      IAMRA_CERTIFICATE: join(dir, "tls.crt"),
      IAMRA_PRIVATE_KEY: join(dir, "tls.key"),
      IAMRA_TRUST_ANCHOR_ARN: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/a",
      IAMRA_PROFILE_ARN: "arn:aws:rolesanywhere:eu-west-1:111122223333:profile/p",
      IAMRA_ROLE_ARN: ROLE_ARN,
      AWS_ENDPOINT_URL_ROLESANYWHERE: server.url,
      IAMRA_OUTPUT_DIR: join(dir, "out"),
      IAMRA_ENDPOINT_PORT: "0",
      IAMRA_OPS_HOST: "127.0.0.1",
      IAMRA_OPS_PORT: "0",
      IAMRA_SHUTDOWN_TIMEOUT: "1s",
    };
    const v = resolveSettings(refresherCommand.settings, { flags: {}, env }) as unknown as RefresherValues;
    return { v, env };
  }

  it("refreshes into its store and the credentials file, and stops once its signal aborts", async () => {
    const { v, env } = await scene();
    const logs = captureLogs();
    const stop = new AbortController();
    const refresher = await createRefresher(v, { env, clock: systemClock, log: logs.log, signal: stop.signal });
    // the first refresh may finish before createRefresher resolves
    if (!refresher.store.current()) await new Promise<void>((resolve) => refresher.store.onChange(() => resolve()));
    expect(refresher.store.current()?.accessKeyId).to.equal("ASIACOMPOSED");
    expect(server!.seen).to.have.length(1);
    expect(server!.seen[0]!.headers["user-agent"]).to.equal("iamra-vault refresher");

    stop.abort(new Error("received SIGTERM"));
    await refresher.finished;
    const msgs = logs.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).to.include.members(["refresher started", "credentials refreshed", "refresher stopped"]);
    expect(await readFile(join(dir, "out", "credentials"), "utf8")).to.contain("ASIACOMPOSED");
  });
  it("removes stale temp files of its own before the write that follows a failed one, not before every write", async () => {
    const { v, env } = await scene();
    const lines: Array<{ msg: string; removed?: string[] }> = [];
    let wake = () => undefined as void;
    const log = createLogger({
      level: "info",
      destination: {
        write: (line: string) => {
          lines.push(JSON.parse(line) as { msg: string });
          wake();
        },
      },
    });
    const logged = (msg: string, count = 1) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (lines.filter((l) => l.msg === msg).length >= count) resolve();
        };
        wake = check;
        check();
      });
    const stop = new AbortController();
    const refresher = await createRefresher(v, { env, clock: systemClock, log, signal: stop.signal });
    try {
      const out = join(dir, "out");
      await logged("credential files written");
      const stale = ".credentials.99999.0badc0de.tmp"; // as a write killed before its rename leaves it
      await writeFile(join(out, stale), "partial");
      // a directory where the credentials file belongs: the next write fails before it writes anything
      await rm(join(out, "credentials"));
      await mkdir(join(out, "credentials"));
      refresher.loop.wake();
      await logged("writing credential files failed; the endpoint is unaffected");
      expect(await readdir(out)).to.include(stale);

      await rm(join(out, "credentials"), { recursive: true });
      refresher.loop.wake();
      await logged("credential files written", 2);
      expect(await readdir(out)).to.not.include(stale);
      expect(lines.find((l) => l.msg === "removed stale temp files")?.removed).to.deep.equal([stale]);
    } finally {
      stop.abort(new Error("test done"));
      await refresher.finished;
    }
  });
});
