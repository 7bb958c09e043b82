import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { refresherCommand } from "../../../refresher/refresherCommand.js";
import { runRefresher } from "../../../refresher/runRefresher.js";
import { resolveSettings } from "../../../lib/config/resolveSettings.js";
import { captureLogs } from "../../support/captureLogs.js";

describe("runRefresher", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-run-refresher-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function settings() {
    const env = {
      IAMRA_IDENTITY_SOURCE: "files",
      IAMRA_CERTIFICATE: join(dir, "missing-tls.crt"),
      IAMRA_PRIVATE_KEY: join(dir, "missing-tls.key"),
      IAMRA_TRUST_ANCHOR_ARN: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/a",
      IAMRA_PROFILE_ARN: "arn:aws:rolesanywhere:eu-west-1:111122223333:profile/p",
      IAMRA_ROLE_ARN: "arn:aws:iam::111122223333:role/app",
      AWS_ENDPOINT_URL_ROLESANYWHERE: "http://127.0.0.1:9",
      IAMRA_OUTPUT_DIR: dir,
      IAMRA_ENDPOINT_PORT: "0",
      IAMRA_OPS_HOST: "127.0.0.1",
      IAMRA_OPS_PORT: "0",
      IAMRA_SHUTDOWN_TIMEOUT: "1s",
    };
    return { env, values: resolveSettings(refresherCommand.settings, { flags: {}, env }) };
  }

  it("stops when SIGTERM arrived before it started listening for it (signal already aborted)", async () => {
    const { env, values } = settings();
    const logs = captureLogs();
    const controller = new AbortController();
    controller.abort(new Error("received SIGTERM")); // e.g. during the lazy import of the command or reading files
    const run = runRefresher(values, {
      env,
      log: logs.log,
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      signal: controller.signal,
      args: [],
    });
    await run; // a refresher that did not see the earlier stop would keep running: the test's timeout fails it
    const msgs = logs.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).to.include("refresher stopped");
    expect(
      msgs.filter((m) => /^refresh failed/.test(m)),
      "no refresh was attempted after the shutdown request",
    ).to.deep.equal([]);
  });
});
