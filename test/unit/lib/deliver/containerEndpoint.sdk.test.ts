/** Real clients against the container endpoint: AWS SDK for JavaScript v3 and Debian's botocore 1.29. */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fromContainerMetadata, fromHttp, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import {
  createAuthToken,
  startContainerEndpoint,
  writeTokenFile,
  type ContainerEndpoint,
} from "../../../../lib/deliver/containerEndpoint.js";
import { createCredentialStore, type CredentialStore } from "../../../../lib/deliver/credentialStore.js";
import { peers } from "../../../support/peers.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { captureLogs } from "../../../support/captureLogs.js";
import { testCredentials } from "../../../support/testCredentials.js";

const HOUR = 3_600_000;
const ENV_KEYS = [
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
] as const;

const BOTOCORE_SCRIPT = `
import json, botocore.session
c = botocore.session.get_session().get_credentials()
f = c.get_frozen_credentials()
print(json.dumps({"method": c.method, "accessKey": f.access_key, "secretKey": f.secret_key, "token": f.token}))
`;

describe("startContainerEndpoint with real AWS clients", () => {
  let store: CredentialStore;
  let endpoint: ContainerEndpoint;
  let token: string;
  let tokenFile: string;
  let dir: string;
  let logs: ReturnType<typeof captureLogs>;
  const saved: Record<string, string | undefined> = {};

  before(() => {
    for (const k of ENV_KEYS) saved[k] = process.env[k];
  });
  after(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-sdk-"));
    store = createCredentialStore({ clock: systemClock });
    token = createAuthToken();
    tokenFile = join(dir, "token");
    await writeTokenFile(tokenFile, token);
    logs = captureLogs();
    endpoint = await startContainerEndpoint({ store, port: 0, authToken: token, log: logs.log });
    for (const k of ENV_KEYS) delete process.env[k];
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenFile;
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "no-credentials");
    process.env.AWS_CONFIG_FILE = join(dir, "no-config");
  });
  afterEach(async () => {
    await endpoint.close();
    for (const k of ENV_KEYS) delete process.env[k];
  });

  it("fromHttp reads the token file and gets the current credentials, then the rotated ones", async () => {
    const a = testCredentials(Date.now() + HOUR);
    store.set(a);
    const provider = fromHttp({});
    const got = await provider();
    expect(got.accessKeyId).to.equal(a.accessKeyId);
    expect(got.secretAccessKey).to.equal(a.secretAccessKey);
    expect(got.sessionToken).to.equal(a.sessionToken);
    expect(got.expiration?.getTime()).to.equal(a.expirationMs);
    const b = testCredentials(Date.now() + 2 * HOUR);
    store.set(b);
    expect((await fromHttp({})()).accessKeyId).to.equal(b.accessKeyId);
    expect(logs.text()).to.not.contain(token);
  });

  it("fromHttp fails (no empty credentials) while the endpoint answers 503", async () => {
    const err = await fromHttp({ maxRetries: 0 })().catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.contain("status: 503");
  });

  it("fromHttp is refused with a wrong token in the file", async () => {
    store.set(testCredentials(Date.now() + HOUR));
    await writeTokenFile(tokenFile, createAuthToken());
    const err = await fromHttp({ maxRetries: 0 })().catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.contain("status: 401");
    expect((err as unknown as { Code: string }).Code).to.equal("UNAUTHORIZED");
  });

  it("fromContainerMetadata gets the credentials with AWS_CONTAINER_AUTHORIZATION_TOKEN", async () => {
    const a = testCredentials(Date.now() + HOUR);
    store.set(a);
    delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = token;
    const got = await fromContainerMetadata({ maxRetries: 0 })();
    expect(got.accessKeyId).to.equal(a.accessKeyId);
    expect(got.sessionToken).to.equal(a.sessionToken);
  });

  it("the default Node provider chain picks the endpoint", async () => {
    const a = testCredentials(Date.now() + HOUR);
    store.set(a);
    const got = await fromNodeProviderChain()();
    expect(got.accessKeyId).to.equal(a.accessKeyId);
  });

  it("botocore 1.29 (pinned legacy test peer) gets the credentials with AWS_CONTAINER_AUTHORIZATION_TOKEN", async () => {
    const a = testCredentials(Date.now() + HOUR);
    store.set(a);
    const { stdout } = await promisify(execFile)(peers.pythonLegacy, ["-c", BOTOCORE_SCRIPT], {
      timeout: 15_000,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: dir,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
        AWS_CONFIG_FILE: join(dir, "none"),
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    expect(JSON.parse(stdout)).to.deep.equal({
      method: "container-role",
      accessKey: a.accessKeyId,
      secretKey: a.secretAccessKey,
      token: a.sessionToken,
    });
  });
});
