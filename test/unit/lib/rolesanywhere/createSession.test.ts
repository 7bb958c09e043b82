import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { X509Certificate } from "node:crypto";
import { createSession } from "../../../../lib/rolesanywhere/createSession.js";
import { loadPrivateKey } from "../../../../lib/x509/loadPrivateKey.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { silentLogger } from "../../../../lib/log.js";
import { IamraError } from "../../../../lib/errors.js";
import { startScriptedServer } from "../../../support/scriptedServer.js";
import type { X509Identity } from "../../../../lib/identity/x509Identity.js";

const pki = fileURLToPath(new URL("../../../fixtures/roles-anywhere/pki/", import.meta.url));
const identity: X509Identity = {
  key: loadPrivateKey(readFileSync(`${pki}rsa-leaf-key.pem`)),
  certificate: new X509Certificate(readFileSync(`${pki}rsa-leaf-cert.pem`)),
  chain: [],
};
const ARNS = {
  trustAnchorArn: "arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/41cl0bae-6783-40d4-ab20-65dc5d922e45",
  profileArn: "arn:aws:rolesanywhere:us-east-1:000000000000:profile/41cl0bae-6783-40d4-ab20-65dc5d922e45",
  roleArn: "arn:aws:iam::000000000000:role/ExampleS3WriteRole",
};
const OK = {
  status: 201,
  body: JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: {
          arn: "arn:aws:sts::000000000000:assumed-role/ExampleS3WriteRole/x",
          assumedRoleId: "AROA:x",
        },
        credentials: {
          accessKeyId: "ASIAEXAMPLE",
          secretAccessKey: "s3cr3t",
          sessionToken: "tok",
          expiration: "2030-01-01T00:00:00Z",
        },
        roleArn: ARNS.roleArn,
      },
    ],
  }),
};
const deps = (timeoutMs = 2000) => ({
  clock: systemClock,
  log: silentLogger(),
  transport: { timeoutMs },
  backoffBaseMs: 5,
  backoffCapMs: 20,
});

describe("createSession", () => {
  let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
  afterEach(async () => server?.close());

  it("sends the ARNs in the query, the JSON body, and returns credentialSet[0]", async () => {
    server = await startScriptedServer([OK]);
    const creds = await createSession(
      identity,
      { ...ARNS, durationSeconds: 900, roleSessionName: "s1", endpoint: server.url },
      deps(),
    );
    expect(creds).to.include({ accessKeyId: "ASIAEXAMPLE", expiration: "2030-01-01T00:00:00Z", roleArn: ARNS.roleArn });
    expect(creds.expirationMs).to.equal(Date.UTC(2030, 0, 1));
    const seen = server.seen[0]!;
    expect(seen.url).to.equal(
      "/sessions?profileArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A000000000000%3Aprofile%2F41cl0bae-6783-40d4-ab20-65dc5d922e45&roleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2FExampleS3WriteRole&trustAnchorArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A000000000000%3Atrust-anchor%2F41cl0bae-6783-40d4-ab20-65dc5d922e45",
    );
    expect(seen.body).to.equal('{"durationSeconds":900,"roleSessionName":"s1"}');
    expect(seen.headers.authorization).to.match(
      /^AWS4-X509-RSA-SHA256 Credential=531529483902979077497261215222096813763213450734\/\d{8}\/us-east-1\/rolesanywhere\/aws4_request/,
    );
    expect(seen.headers["amz-sdk-request"]).to.equal("attempt=1; max=3");
  });

  it("writes the query as URLSearchParams does, with %20 for spaces, for every character an ARN may hold", async () => {
    server = await startScriptedServer([OK]);
    const roleArn = "arn:aws:iam::000000000000:role/a+b=c,d.e@f_g-h/ x~y*z!'()é😀";
    await createSession(identity, { ...ARNS, roleArn, durationSeconds: 900, endpoint: server.url }, deps());
    const expected = new URLSearchParams({ profileArn: ARNS.profileArn, roleArn, trustAnchorArn: ARNS.trustAnchorArn });
    expect(server.seen[0]!.url).to.equal(`/sessions?${expected.toString().replace(/\+/g, "%20")}`);
  });

  it("appends /sessions to an endpoint path prefix", async () => {
    server = await startScriptedServer([OK]);
    await createSession(identity, { ...ARNS, durationSeconds: 3600, endpoint: `${server.url}/prefix/` }, deps());
    expect(server.seen[0]!.url).to.match(/^\/prefix\/sessions\?/);
  });

  it("signs with the region override instead of the ARN's region", async () => {
    server = await startScriptedServer([OK]);
    await createSession(
      identity,
      { ...ARNS, durationSeconds: 3600, region: "eu-west-1", endpoint: server.url },
      deps(),
    );
    expect(server.seen[0]!.headers.authorization).to.contain("/eu-west-1/rolesanywhere/aws4_request");
  });

  it("retries a 503 and succeeds, re-signing the second attempt", async () => {
    server = await startScriptedServer([{ status: 503, body: '{"message":"busy"}' }, OK]);
    const creds = await createSession(identity, { ...ARNS, durationSeconds: 3600, endpoint: server.url }, deps());
    expect(creds.accessKeyId).to.equal("ASIAEXAMPLE");
    expect(server.seen.map((s) => s.headers["amz-sdk-request"])).to.deep.equal([
      "attempt=1; max=3",
      "attempt=2; max=3",
    ]);
    expect(server.seen[0]!.headers["amz-sdk-invocation-id"]).to.equal(server.seen[1]!.headers["amz-sdk-invocation-id"]);
  });

  it("retries 429 ThrottlingException and succeeds", async () => {
    server = await startScriptedServer([
      { status: 429, headers: { "x-amzn-errortype": "ThrottlingException" }, body: '{"message":"Rate exceeded"}' },
      OK,
    ]);
    await createSession(identity, { ...ARNS, durationSeconds: 3600, endpoint: server.url }, deps());
    expect(server.seen).to.have.length(2);
  });

  it("absorbs throttling beyond maxAttempts within the throttle budget, honouring Retry-After", async () => {
    const throttled = {
      status: 429,
      headers: { "x-amzn-errortype": "ThrottlingException", "retry-after": "2" },
      body: '{"message":"Rate exceeded"}',
    };
    server = await startScriptedServer([throttled, throttled, throttled, throttled, throttled, OK]);
    const sleeps: number[] = [];
    const clock = { now: () => Date.now(), sleep: async (ms: number) => void sleeps.push(ms) };
    const creds = await createSession(
      identity,
      { ...ARNS, durationSeconds: 3600, endpoint: server.url },
      {
        ...deps(),
        clock,
        maxAttempts: 3,
        throttleBudgetMs: 60_000,
      },
    );
    expect(creds.accessKeyId).to.equal("ASIAEXAMPLE");
    expect(server.seen).to.have.length(6);
    expect(sleeps).to.have.length(5);
    for (const ms of sleeps) expect(ms).to.be.within(2000, 3000); // Retry-After: 2 s, jitter ceiling at most 3 s
  });

  it("gives up on throttling with RA_THROTTLED once the throttle budget is spent, naming the setting", async () => {
    const throttled = { status: 429, headers: { "x-amzn-errortype": "ThrottlingException" }, body: "{}" };
    server = await startScriptedServer([throttled]);
    const t0 = Date.now();
    let now = t0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const err = await createSession(
      identity,
      { ...ARNS, durationSeconds: 3600, endpoint: server.url },
      {
        ...deps(),
        clock,
        maxAttempts: 3,
        throttleBudgetMs: 20_000,
      },
    ).catch((e) => e);
    expect(err.code).to.equal("RA_THROTTLED");
    expect(err.hint).to.contain("--throttle-budget");
    expect(server.seen.length).to.be.greaterThan(3);
    expect(now - t0).to.be.within(17_000, 20_000); // the next wait (at most 3 s) would have ended past the budget
  });

  it("does not retry a 403 and reports AccessDeniedException with a hint", async () => {
    server = await startScriptedServer([
      {
        status: 403,
        headers: { "x-amzn-errortype": "AccessDeniedException" },
        body: '{"message":"Untrusted certificate. Insufficient certificate"}',
      },
      OK,
    ]);
    const err = await createSession(identity, { ...ARNS, durationSeconds: 3600, endpoint: server.url }, deps()).catch(
      (e) => e,
    );
    expect(err).to.be.instanceOf(IamraError);
    expect(err.code).to.equal("RA_ACCESS_DENIED");
    expect(err.status).to.equal(403);
    expect(err.message).to.contain("Untrusted certificate");
    expect(err.hint).to.contain("trust anchor");
    expect(server.seen).to.have.length(1);
  });

  it("gives up after maxAttempts of 5xx with RA_SERVER_ERROR", async () => {
    server = await startScriptedServer([{ status: 500, body: "{}" }]);
    const err = await createSession(identity, { ...ARNS, durationSeconds: 3600, endpoint: server.url }, deps()).catch(
      (e) => e,
    );
    expect(err.code).to.equal("RA_SERVER_ERROR");
    expect(server.seen).to.have.length(3);
  });

  it("fails with RA_TIMEOUT in about the configured time when the server never answers", async function () {
    this.timeout(30_000);
    server = await startScriptedServer([{ hang: true }]);
    const started = Date.now();
    const err = await createSession(
      identity,
      { ...ARNS, durationSeconds: 3600, endpoint: server.url },
      { ...deps(300), maxAttempts: 1 },
    ).catch((e) => e);
    expect(err.code).to.equal("RA_TIMEOUT");
    expect(Date.now() - started, "the server never answers: only the 300 ms timeout ends the call").to.be.within(
      250,
      10_000,
    );
  });

  it("fails with RA_UNREACHABLE when nothing listens", async () => {
    const err = await createSession(
      identity,
      { ...ARNS, durationSeconds: 3600, endpoint: "http://127.0.0.1:1" },
      deps(),
    ).catch((e) => e);
    expect(err.code).to.equal("RA_UNREACHABLE");
    expect(err.retryable).to.equal(true);
  });

  it("rejects a 2xx answer without credentials instead of returning partial ones", async () => {
    server = await startScriptedServer([
      { status: 201, body: '{"credentialSet":[{"credentials":{"accessKeyId":"A"}}]}' },
    ]);
    const err = await createSession(identity, { ...ARNS, durationSeconds: 3600, endpoint: server.url }, deps()).catch(
      (e) => e,
    );
    expect(err.code).to.equal("RA_BAD_RESPONSE");
  });
});
