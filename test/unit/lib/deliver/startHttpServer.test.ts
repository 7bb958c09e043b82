import { expect } from "chai";
import http from "node:http";
import https from "node:https";
import { createServer } from "node:net";
import { startHttpServer, formatHostPort, listenOrFail } from "../../../../lib/deliver/startHttpServer.js";
import { captureLogs } from "../../../support/captureLogs.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { makeServingCa } from "../../../support/tlsFiles.js";

describe("startHttpServer", () => {
  it("finishes an in-flight request on close, then refuses new connections", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const server = await startHttpServer({
      name: "test",
      host: "127.0.0.1",
      port: 0,
      log: captureLogs().log,
      handler: async (_req, res) => {
        entered();
        await gate;
        res.end("done");
      },
    });
    const response = fetch(`${server.url}/slow`).then(async (r) => ({ status: r.status, body: await r.text() }));
    await inHandler;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed, "close waits for the in-flight request").to.equal(false);
    const refused = await fetch(`${server.url}/new`).catch((e: Error) => e);
    expect(refused).to.be.instanceOf(Error);
    release();
    expect(await response).to.deep.equal({ status: 200, body: "done" });
    await closing;
    expect(closed).to.equal(true);
    expect(server.close(), "close is idempotent").to.be.instanceOf(Promise);
  });

  it("cuts connections that outlive closeTimeoutMs", async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const server = await startHttpServer({
      name: "test",
      host: "127.0.0.1",
      port: 0,
      log: captureLogs().log,
      closeTimeoutMs: 100,
      handler: () => {
        entered();
        return new Promise<void>(() => undefined); // never answers
      },
    });
    const req = new Promise<string>((resolve) => {
      http.get(`${server.url}/hang`, () => resolve("answered")).on("error", (e) => resolve(e.message));
    });
    await inHandler; // not a fixed sleep: on a slow machine the request may not have arrived after 30 ms
    const started = Date.now();
    await server.close();
    expect(Date.now() - started, "the handler never answers: only the 100 ms close timeout ends it").to.be.within(
      80,
      10_000,
    );
    expect(await req).to.match(/socket hang up|ECONNRESET/);
  });

  it("answers 500 JSON and logs the error when the handler throws", async () => {
    const logs = captureLogs();
    const server = await startHttpServer({
      name: "test",
      host: "127.0.0.1",
      port: 0,
      log: logs.log,
      handler: () => {
        throw new Error("handler bug");
      },
    });
    try {
      const res = await fetch(`${server.url}/x?secret=1`);
      expect(res.status).to.equal(500);
      expect(((await res.json()) as { code: string }).code).to.equal("INTERNAL_ERROR");
      expect(logs.text()).to.contain("handler bug");
      expect(logs.text()).to.not.contain("secret=1");
    } finally {
      await server.close();
    }
  });

  it("serves HTTPS with the given certificate when tls is set", async () => {
    const ca = await makeServingCa();
    const server = await startHttpServer({
      name: "tls-test",
      host: "127.0.0.1",
      port: 0,
      log: captureLogs().log,
      tls: await ca.issue(),
      handler: (_req, res) => void res.end("over tls"),
    });
    try {
      expect(server.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(server.url, { ca: ca.caPem }, (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body).to.equal("over tls");
      const untrusted = await new Promise<Error>((resolve) => {
        https.get(server.url, () => resolve(new Error("answered"))).on("error", resolve);
      });
      expect(untrusted.message).to.match(/self.signed|unable to (get|verify)/i);
    } finally {
      await server.close();
    }
  });

  it("formats IPv6 hosts with brackets", () => {
    expect(formatHostPort("::1", 80)).to.equal("[::1]:80");
    expect(formatHostPort("127.0.0.1", 80)).to.equal("127.0.0.1:80");
  });
});

describe("listenOrFail", () => {
  it("resolves with the free port picked for port 0", async () => {
    const server = createServer();
    try {
      const port = await listenOrFail(server, { name: "x", host: "127.0.0.1", port: 0, log: captureLogs().log });
      expect(port)
        .to.be.above(0)
        .and.equal((server.address() as { port: number }).port);
    } finally {
      server.close();
    }
  });

  it("fails with LISTEN_FAILED naming the server, address and errno when the port is taken", async () => {
    const first = createServer();
    const second = createServer();
    try {
      const { log } = captureLogs();
      const port = await listenOrFail(first, { name: "first", host: "127.0.0.1", port: 0, log });
      const err = await expectIamraError(
        () => listenOrFail(second, { name: "webhook", host: "127.0.0.1", port, log }),
        "LISTEN_FAILED",
      );
      expect(err.message).to.equal(`webhook cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(err.hint).to.equal("choose another port or stop the process using it");
      expect(err.details).to.deep.equal({ host: "127.0.0.1", port, errno: "EADDRINUSE" });
    } finally {
      first.close();
      second.close();
    }
  });
});
