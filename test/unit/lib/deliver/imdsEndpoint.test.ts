import { expect } from "chai";
import { fromInstanceMetadata } from "@aws-sdk/credential-providers";
import { createCredentialStore, type CredentialStore } from "../../../../lib/deliver/credentialStore.js";
import { startImdsEndpoint, type ImdsEndpoint } from "../../../../lib/deliver/imdsEndpoint.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { captureLogs } from "../../../support/captureLogs.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { manualClock, type ManualClock } from "../../../support/manualClock.js";
import { testCredentials } from "../../../support/testCredentials.js";

const HOUR = 3_600_000;
const ROLE = "app-role";
const CREDS = "/latest/meta-data/iam/security-credentials";

describe("startImdsEndpoint", () => {
  let clock: ManualClock;
  let store: CredentialStore;
  let imds: ImdsEndpoint;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    clock = manualClock(Date.now());
    store = createCredentialStore({ clock });
    logs = captureLogs();
    imds = await startImdsEndpoint({ store, port: 0, roleName: ROLE, log: logs.log, clock, maxTokens: 5 });
  });
  afterEach(() => imds.close());

  const putToken = (headers: Record<string, string> = {}, method = "PUT") =>
    fetch(`${imds.url}/latest/api/token`, { method, headers });
  const token = async (ttl = "21600") => {
    const res = await putToken({ "X-aws-ec2-metadata-token-ttl-seconds": ttl });
    expect(res.status).to.equal(200);
    return res.text();
  };
  const get = (path: string, t?: string, method = "GET") =>
    fetch(`${imds.url}${path}`, { method, headers: t === undefined ? {} : { "X-aws-ec2-metadata-token": t } });

  it("issues a token with the requested TTL echoed in the header", async () => {
    const res = await putToken({ "X-aws-ec2-metadata-token-ttl-seconds": "300" });
    expect(res.status).to.equal(200);
    expect(res.headers.get("x-aws-ec2-metadata-token-ttl-seconds")).to.equal("300");
    expect(await res.text()).to.match(/^[A-Za-z0-9_-]{64}$/);
  });

  it("defaults the TTL to 21600 s", async () => {
    const res = await putToken();
    expect(res.headers.get("x-aws-ec2-metadata-token-ttl-seconds")).to.equal("21600");
  });

  for (const ttl of ["0", "21601", "-5", "abc", "1.5", ""]) {
    it(`answers 400 for TTL "${ttl}"`, async () => {
      const res = await putToken({ "X-aws-ec2-metadata-token-ttl-seconds": ttl });
      expect(res.status).to.equal(400);
      expect(((await res.json()) as { code: string }).code).to.equal("INVALID_TOKEN_TTL");
    });
  }

  it("answers 400 when X-Forwarded-For is present and 405 for a GET on the token path", async () => {
    expect((await putToken({ "X-Forwarded-For": "10.0.0.1" })).status).to.equal(400);
    const res = await putToken({}, "GET");
    expect(res.status).to.equal(405);
    expect(res.headers.get("allow")).to.equal("PUT");
  });

  it("lists the role name with a valid token, with or without the trailing slash", async () => {
    const t = await token("120");
    for (const path of [CREDS, `${CREDS}/`]) {
      const res = await get(path, t);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.equal(ROLE);
      expect(res.headers.get("x-aws-ec2-metadata-token-ttl-seconds")).to.equal("120");
    }
  });

  it("answers 401 without a token, with an unknown token, and with an expired one", async () => {
    store.set(testCredentials(clock.now() + HOUR));
    expect((await get(`${CREDS}/`)).status).to.equal(401);
    expect((await get(`${CREDS}/${ROLE}`, "not-a-token")).status).to.equal(401);
    const t = await token("10");
    expect((await get(`${CREDS}/${ROLE}`, t)).status).to.equal(200);
    clock.advance(10_000);
    const res = await get(`${CREDS}/${ROLE}`, t);
    expect(res.status).to.equal(401);
    expect(((await res.json()) as { code: string }).code).to.equal("INVALID_TOKEN");
  });

  it("serves the credentials as IMDS JSON for the configured role name", async () => {
    const creds = testCredentials(clock.now() + HOUR);
    store.set(creds);
    const t = await token();
    for (const path of [`${CREDS}/${ROLE}`, `${CREDS}/${ROLE}/`]) {
      const res = await get(path, t);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("application/json");
      expect(await res.json()).to.deep.equal({
        Code: "Success",
        LastUpdated: new Date(Math.floor(clock.now() / 1000) * 1000).toISOString().replace(".000Z", "Z"),
        Type: "AWS-HMAC",
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        Token: creds.sessionToken,
        Expiration: creds.expiration,
      });
    }
  });

  it("answers 404 for another role name (the official helper answered any name)", async () => {
    store.set(testCredentials(clock.now() + HOUR));
    const t = await token();
    expect((await get(`${CREDS}/OtherRole`, t)).status).to.equal(404);
    expect((await get(`${CREDS}/${ROLE}/extra`, t)).status).to.equal(404);
    expect((await get(`${CREDS}/%E0%A4%A`, t)).status).to.equal(404);
    expect((await get("/latest/meta-data/", t)).status).to.equal(404);
  });

  it("answers 503, never 200 with empty fields, when there are no valid credentials", async () => {
    const t = await token();
    let res = await get(`${CREDS}/${ROLE}`, t);
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { code: string }).code).to.equal("CREDENTIALS_UNAVAILABLE");
    store.set(testCredentials(clock.now() + 60_000));
    clock.advance(30_000); // the token is still valid, the credentials expire
    expect((await get(`${CREDS}/${ROLE}`, t)).status).to.equal(200);
    clock.advance(30_000);
    res = await get(`${CREDS}/${ROLE}`, t);
    expect(res.status).to.equal(503);
    expect(await res.text()).to.not.contain("AccessKeyId");
  });

  it("answers 405 for a PUT on the credentials path", async () => {
    const t = await token();
    expect((await get(`${CREDS}/${ROLE}`, t, "PUT")).status).to.equal(405);
  });

  it("keeps the token store bounded: the earliest-expiring token is evicted when full", async () => {
    const first = await token("30");
    const rest = [];
    for (let i = 0; i < 5; i++) rest.push(await token("600"));
    expect((await get(`${CREDS}/`, first)).status).to.equal(401);
    for (const t of rest) expect((await get(`${CREDS}/`, t)).status).to.equal(200);
  });

  it("refuses a non-loopback host and an invalid role name with ConfigErrors", async () => {
    await expectIamraError(
      () => startImdsEndpoint({ store, host: "0.0.0.0", port: 0, roleName: ROLE, log: logs.log, clock }),
      "ENDPOINT_NOT_LOOPBACK",
    );
    for (const roleName of ["", "a/b", "x".repeat(65)]) {
      await expectIamraError(
        () => startImdsEndpoint({ store, port: 0, roleName, log: logs.log, clock }),
        "IMDS_ROLE_NAME_INVALID",
      );
    }
  });

  it("never logs tokens or credentials", async () => {
    const creds = testCredentials(clock.now() + HOUR);
    store.set(creds);
    const t = await token();
    await get(`${CREDS}/${ROLE}`, t);
    const text = logs.text();
    expect(text).to.contain('"status":200');
    for (const secret of [t, creds.secretAccessKey, creds.sessionToken]) expect(text).to.not.contain(secret);
  });
});

describe("startImdsEndpoint with the AWS SDK for JavaScript v3", () => {
  let store: CredentialStore;
  let imds: ImdsEndpoint;
  const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;

  beforeEach(async () => {
    store = createCredentialStore({ clock: systemClock });
    imds = await startImdsEndpoint({ store, port: 0, roleName: ROLE, log: captureLogs().log, clock: systemClock });
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `${imds.url}/`;
  });
  afterEach(async () => {
    await imds.close();
    if (saved === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved;
  });

  it("fromInstanceMetadata gets the credentials through IMDSv2", async () => {
    const creds = testCredentials(Date.now() + HOUR);
    store.set(creds);
    const got = await fromInstanceMetadata({ maxRetries: 0, timeout: 2000 })();
    expect(got.accessKeyId).to.equal(creds.accessKeyId);
    expect(got.secretAccessKey).to.equal(creds.secretAccessKey);
    expect(got.sessionToken).to.equal(creds.sessionToken);
    expect(got.expiration?.getTime()).to.equal(creds.expirationMs);
  });

  it("fromInstanceMetadata fails instead of returning empty credentials when none are valid", async () => {
    const err = await fromInstanceMetadata({ maxRetries: 0, timeout: 2000 })().catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as { statusCode?: number }).statusCode).to.equal(503);
  });
});
