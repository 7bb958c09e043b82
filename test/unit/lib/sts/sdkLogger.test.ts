import { expect } from "chai";
import { stsClient } from "../../../../lib/sts/stsCall.js";
import { sdkLogger } from "../../../../lib/sts/sdkLogger.js";
import { captureLogs } from "../../../support/captureLogs.js";

const CREDS = {
  accessKeyId: "ASIAEXAMPLE",
  secretAccessKey: "s3cr3t",
  sessionToken: "tok",
  expiration: "",
  expirationMs: Date.now() + 3_600_000,
};

describe("sdkLogger", () => {
  it("writes the SDK's warn and error at their level and its info and debug at debug (component aws-sdk)", () => {
    const { log, lines } = captureLogs();
    const sdk = sdkLogger(log);
    sdk.warn("@smithy/x - [WARN] something");
    sdk.error("broken", { code: "E" });
    sdk.info({ commandName: "GetCallerIdentityCommand" });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.level, l.component, l.msg])).to.deep.equal([
      ["warn", "aws-sdk", "@smithy/x - [WARN] something"],
      ["error", "aws-sdk", "broken"],
      ["debug", "aws-sdk", "aws sdk message"],
    ]);
    expect(parsed[1]!.sdk).to.deep.equal({ code: "E" });
  });

  it("is the STS client's logger, so the SDK's own warnings reach the JSON log, not the console", async () => {
    const { log, lines } = captureLogs();
    const raw: unknown[][] = [];
    const consoleWarn = console.warn;
    console.warn = (...args: unknown[]) => void raw.push(args);
    try {
      const target = { region: "us-east-1", endpoint: "http://127.0.0.1:9", timeoutMs: 1000, maxAttempts: 1, log };
      const { client } = await stsClient(target, CREDS);
      // the HTTP handler warns through this logger (e.g. "socket usage at capacity"); without it, through the console
      client.config.logger.warn("@smithy/node-http-handler:WARN - socket usage at capacity=50");
      client.destroy();
    } finally {
      console.warn = consoleWarn;
    }
    expect(raw, "console.warn calls").to.deep.equal([]);
    const warns = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === "warn");
    expect(warns.map((w) => [w.component, w.msg])).to.deep.equal([
      ["aws-sdk", "@smithy/node-http-handler:WARN - socket usage at capacity=50"],
    ]);
  });
});
