import { expect } from "chai";
import { connect, type Socket } from "node:net";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createAuthToken,
  startContainerEndpoint,
  writeTokenFile,
  type ContainerEndpoint,
} from "../../../../lib/deliver/containerEndpoint.js";
import { createCredentialStore, type CredentialStore } from "../../../../lib/deliver/credentialStore.js";
import { createMetrics } from "../../../../lib/deliver/metrics.js";
import { captureLogs } from "../../../support/captureLogs.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { manualClock, type ManualClock } from "../../../support/manualClock.js";
import { testCredentials } from "../../../support/testCredentials.js";

const HOUR = 3_600_000;

describe("startContainerEndpoint", () => {
  let clock: ManualClock;
  let store: CredentialStore;
  let endpoint: ContainerEndpoint;
  let token: string;
  let logs: ReturnType<typeof captureLogs>;
  const metrics = createMetrics({ processMetrics: false });

  beforeEach(async () => {
    clock = manualClock(Date.now());
    store = createCredentialStore({ clock });
    token = createAuthToken();
    logs = captureLogs();
    endpoint = await startContainerEndpoint({ store, port: 0, authToken: token, log: logs.log, metrics });
  });
  afterEach(() => endpoint.close());

  const get = (headers: Record<string, string> = { Authorization: token }, url = endpoint.url, method = "GET") =>
    fetch(url, { method, headers });

  it("listens on 127.0.0.1 at /credentials by default", () => {
    expect(endpoint.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(endpoint.port).to.be.greaterThan(0);
  });

  it("answers 200 with the four SDK fields and RoleArn when valid credentials exist", async () => {
    const creds = testCredentials(clock.now() + HOUR);
    store.set(creds);
    const res = await get();
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("application/json");
    expect(await res.json()).to.deep.equal({
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      Expiration: creds.expiration,
      RoleArn: creds.roleArn,
    });
  });

  it("answers 503 CREDENTIALS_UNAVAILABLE, never 200, before the first credentials and after expiry", async () => {
    let res = await get();
    expect(res.status).to.equal(503);
    expect(await res.json()).to.include({ code: "CREDENTIALS_UNAVAILABLE" });
    store.set(testCredentials(clock.now() + HOUR));
    expect((await get()).status).to.equal(200);
    clock.advance(HOUR + 1000);
    res = await get();
    expect(res.status).to.equal(503);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.code).to.equal("CREDENTIALS_UNAVAILABLE");
    expect(body).to.not.have.property("AccessKeyId");
  });

  const unauthorized: Array<[string, (token: string) => Record<string, string>]> = [
    ["no Authorization header", () => ({})],
    ["a wrong token of the same length", (t) => ({ Authorization: "x".repeat(t.length) })],
    ["a prefix of the token", (t) => ({ Authorization: t.slice(0, 20) })],
    ["the token with Bearer", (t) => ({ Authorization: `Bearer ${t}` })],
    ["the token in upper case", (t) => ({ Authorization: t.toUpperCase() })],
    ["the token twice", (t) => ({ Authorization: t + t })],
    ["an empty header", () => ({ Authorization: "" })],
  ];
  for (const [name, headers] of unauthorized) {
    it(`answers 401 JSON for ${name}, even when credentials exist`, async () => {
      store.set(testCredentials(clock.now() + HOUR));
      const h = headers(token);
      const res = await get(h);
      expect(res.status).to.equal(401);
      expect(res.headers.get("content-type")).to.equal("application/json");
      const text = await res.text();
      expect(JSON.parse(text).code).to.equal("UNAUTHORIZED");
      expect(text).to.not.contain("PLANTED");
    });
  }

  it("answers 404 on other paths and 405 on other methods", async () => {
    store.set(testCredentials(clock.now() + HOUR));
    const base = endpoint.url.replace(/\/credentials$/, "");
    expect((await get({ Authorization: token }, `${base}/other`)).status).to.equal(404);
    expect((await get({ Authorization: token }, `${base}/credentials/x`)).status).to.equal(404);
    const res = await get({ Authorization: token }, endpoint.url, "POST");
    expect(res.status).to.equal(405);
    expect(res.headers.get("allow")).to.equal("GET");
    expect((await get({ Authorization: token }, `${endpoint.url}?x=1`)).status).to.equal(200);
  });

  it("never writes the token or the credentials to its logs", async () => {
    const creds = testCredentials(clock.now() + HOUR);
    store.set(creds);
    await get();
    await get({ Authorization: "wrong-token-but-also-secret" });
    const text = logs.text();
    expect(text).to.contain("rejected request");
    expect(text).to.contain('"status":200');
    for (const secret of [token, creds.secretAccessKey, creds.sessionToken, "wrong-token-but-also-secret"]) {
      expect(text).to.not.contain(secret);
    }
  });

  it("counts requests by status", async () => {
    const count401 = async () =>
      (await metrics.endpointRequests.get()).values.find(
        (x) => x.labels.endpoint === "container" && x.labels.status === "401",
      )?.value ?? 0;
    const before = await count401();
    await get({});
    expect((await count401()) - before).to.equal(1);
  });

  /**
   * GETs the endpoint over a raw HTTP/1.1 connection that the client never closes, so only the server can end it;
   * resolves once the whole response has arrived, with the socket left open and idle.
   */
  const rawGet = (url: string) =>
    new Promise<{ head: string; socket: Socket }>((resolve, reject) => {
      const { hostname, port, pathname } = new URL(url);
      const socket = connect(Number(port), hostname);
      let received = "";
      const onData = (chunk: Buffer) => {
        received += chunk.toString("latin1");
        const headEnd = received.indexOf("\r\n\r\n");
        const length = /\r\ncontent-length: (\d+)/i.exec(received.slice(0, headEnd));
        if (headEnd < 0 || !length || received.length < headEnd + 4 + Number(length[1])) return;
        socket.off("data", onData);
        socket.off("error", reject);
        resolve({ head: received.slice(0, headEnd), socket });
      };
      socket.on("data", onData).on("error", reject);
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${token}\r\n\r\n`);
    });
  const closeEvent = (socket: Socket) =>
    new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));

  it("keeps idle connections open for 5 s by default (Keep-Alive: timeout=5)", async () => {
    store.set(testCredentials(clock.now() + HOUR));
    const { head, socket } = await rawGet(endpoint.url);
    socket.destroy();
    expect(head)
      .to.match(/^HTTP\/1\.1 200 /)
      .and.match(/\r\nKeep-Alive: timeout=5(\r\n|$)/i);
  });

  it("closes idle keep-alive connections at once on close and refuses new connections afterwards", async () => {
    store.set(testCredentials(clock.now() + HOUR));
    // with a 60 s keep-alive and close bound, waiting for the idle connection would take 60 s: 12x the bound below
    const slow = await startContainerEndpoint({
      store,
      port: 0,
      authToken: token,
      log: logs.log,
      keepAliveTimeoutMs: 60_000,
      closeTimeoutMs: 60_000,
    });
    try {
      const { head, socket } = await rawGet(slow.url);
      expect(head)
        .to.match(/^HTTP\/1\.1 200 /)
        .and.match(/\r\nKeep-Alive: timeout=60(\r\n|$)/i);
      const socketClosed = closeEvent(socket);
      const started = Date.now();
      await slow.close();
      expect(Date.now() - started, "ms to close with an idle keep-alive connection").to.be.below(5_000);
      await socketClosed; // the server ended the idle connection; the client never closes it
      const err = await fetch(slow.url, { headers: { Authorization: token } }).catch((e: Error) => e);
      expect(err).to.be.instanceOf(Error);
    } finally {
      await slow.close();
    }
  });

  it("ends an idle keep-alive connection by itself after the configured keep-alive timeout", async () => {
    store.set(testCredentials(clock.now() + HOUR));
    const short = await startContainerEndpoint({
      store,
      port: 0,
      authToken: token,
      log: logs.log,
      keepAliveTimeoutMs: 1_000,
    });
    try {
      const { head, socket } = await rawGet(short.url);
      expect(head).to.match(/\r\nKeep-Alive: timeout=1(\r\n|$)/i);
      // the endpoint stays open and the client never closes the socket: only the keep-alive timeout can end it
      await closeEvent(socket);
      expect(socket.destroyed).to.equal(true);
    } finally {
      await short.close();
    }
  });

  it("refuses a non-loopback host or a bad path with a ConfigError", async () => {
    for (const host of ["0.0.0.0", "10.0.0.1", "localhost", "::"]) {
      const err = await expectIamraError(
        () => startContainerEndpoint({ store, host, port: 0, authToken: token, log: logs.log }),
        "ENDPOINT_NOT_LOOPBACK",
      );
      expect(err.name).to.equal("ConfigError");
    }
    await expectIamraError(
      () => startContainerEndpoint({ store, port: 0, path: "creds", authToken: token, log: logs.log }),
      "ENDPOINT_PATH_INVALID",
    );
    await expectIamraError(
      () => startContainerEndpoint({ store, port: 0, authToken: "short\n", log: logs.log }),
      "ENDPOINT_TOKEN_INVALID",
    );
  });

  it("serves on a custom loopback address, port and path", async () => {
    const other = await startContainerEndpoint({
      store,
      host: "127.0.0.2",
      port: 0,
      path: "/v1/creds",
      authToken: token,
      log: logs.log,
    });
    try {
      expect(other.url).to.match(/^http:\/\/127\.0\.0\.2:\d+\/v1\/creds$/);
      store.set(testCredentials(clock.now() + HOUR));
      expect((await fetch(other.url, { headers: { Authorization: token } })).status).to.equal(200);
    } finally {
      await other.close();
    }
  });

  it("fails with LISTEN_FAILED when the port is taken", async () => {
    await expectIamraError(
      () => startContainerEndpoint({ store, port: endpoint.port, authToken: token, log: logs.log }),
      "LISTEN_FAILED",
    );
  });
});

describe("createAuthToken", () => {
  it("makes distinct URL-safe tokens from 32 random bytes", () => {
    const a = createAuthToken();
    const b = createAuthToken();
    expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, "base64url")).to.have.length(32);
    expect(a).to.not.equal(b);
  });
});

describe("writeTokenFile", () => {
  it("writes exactly the token, without a trailing newline, with the requested mode", async () => {
    const dir = await mkdtemp(join(tmpdir(), "iamra-token-"));
    const path = join(dir, "token");
    const token = createAuthToken();
    await writeTokenFile(path, token, 0o640);
    const bytes = await readFile(path);
    expect(bytes.toString("utf8")).to.equal(token);
    expect(bytes[bytes.length - 1]).to.not.equal(0x0a);
    expect((await stat(path)).mode & 0o777).to.equal(0o640);
    await writeTokenFile(path, createAuthToken());
    expect((await stat(path)).mode & 0o777).to.equal(0o644);
  });

  it("refuses a token containing a newline", async () => {
    const dir = await mkdtemp(join(tmpdir(), "iamra-token-"));
    await expectIamraError(() => writeTokenFile(join(dir, "t"), `${createAuthToken()}\n`), "ENDPOINT_TOKEN_INVALID");
  });
});
