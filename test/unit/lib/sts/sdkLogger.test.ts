import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { getCallerIdentity } from "../../../../lib/sts/getCallerIdentity.js";
import { sdkLogger } from "../../../../lib/sts/sdkLogger.js";
import { captureLogs } from "../../../support/captureLogs.js";

const IDENTITY_XML =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  "<Arn>arn:aws:sts::000000000000:assumed-role/r/s</Arn><UserId>AROA:s</UserId><Account>000000000000</Account>" +
  "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
const CREDS = {
  accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s3cr3t-planted", sessionToken: "tok", expiration: "", expirationMs: Date.now() + 3_600_000,
};

describe("sdkLogger", () => {
  it("writes the SDK's warn and error at their level and its info and debug at debug, as JSON with component aws-sdk", () => {
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

  it("receives the HTTP handler's WARN that a slow STS answer would print raw on stderr", async function () {
    this.timeout(20_000);
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => setTimeout(() => res.writeHead(200, { "content-type": "text/xml" }).end(IDENTITY_XML), 1500));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { log, lines } = captureLogs();
    const raw: unknown[][] = [];
    const consoleWarn = console.warn;
    console.warn = (...args: unknown[]) => void raw.push(args);
    try {
      await getCallerIdentity(CREDS, { region: "us-east-1", endpoint, timeoutMs: 300, maxAttempts: 1, log }).catch(() => undefined);
    } finally {
      console.warn = consoleWarn;
      server.closeAllConnections();
      server.close();
    }
    expect(raw, "console.warn calls").to.deep.equal([]);
    const warns = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === "warn");
    expect(warns.map((w) => w.msg).join("\n")).to.match(/requestTimeout/);
    expect(lines.join("")).to.not.contain("s3cr3t-planted");
  });
});
