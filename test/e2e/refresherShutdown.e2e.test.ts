import { expect } from "chai";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { podEnvironment } from "../../devstack/podEnvironment.js";
import { startCli } from "../support/startCli.js";

describe("iamra-vault refresher shutdown (end to end on the devstack)", function () {
  this.timeout(90_000);
  let stack: Devstack;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-shutdown-"));
    stack = await startDevstack({ portBase: 0, dir });
  });
  after(async () => {
    stack.vault.setDelay(0);
    await stack?.close();
  });

  it("exits 0 at once when stopped while a Vault call hangs: the stop aborts the call", async () => {
    const out = join(dir, "out");
    await mkdir(out);
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, stack.tokenReview.mintToken({ namespace: "demo", serviceAccount: "app" }));
    stack.vault.setDelay(60_000); // the first login hangs; neither timeout below would end it sooner
    const cli = startCli(
      [
        "refresher",
        "--output-dir",
        out,
        "--endpoint-port",
        "0",
        "--ops-port",
        "0",
        "--ops-host",
        "127.0.0.1",
        "--vault-timeout",
        "90s",
        "--shutdown-timeout",
        "100s",
      ],
      { env: podEnvironment(stack.info, tokenFile) },
    );
    try {
      await cli.waitFor((l) => l.msg === "refresher started", { timeoutMs: 20_000 });
      const deadline = Date.now() + 15_000;
      const loginSeen = () => stack.vault.requests.some((q) => q.path.includes("auth/kubernetes/login"));
      while (!loginSeen() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(loginSeen(), "the login request is in flight").to.equal(true);
      const started = Date.now();
      const exit = await cli.stop(30_000);
      const tookMs = Date.now() - started;
      expect(exit).to.deep.equal({ code: 0, signal: null });
      // without the abort the exit would wait for the 60 s delayed answer
      expect(tookMs, "ms from SIGTERM to exit").to.be.below(8_000);
      const stopped = cli.lines.find((l) => l.msg === "refresher stopped");
      expect(stopped?.clean, "the aborted refresh ended within the shutdown timeout").to.equal(true);
      expect(cli.lines.find((l) => l.msg === "refresh stopped")?.code).to.equal("ABORTED");
      expect(
        cli.lines.some((l) => l.level === "error"),
        "no error line for the stop",
      ).to.equal(false);
    } finally {
      cli.kill();
    }
  });
});
