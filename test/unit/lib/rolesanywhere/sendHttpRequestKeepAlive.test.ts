import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createKeepAliveAgents, sendHttpRequest } from "../../../../lib/rolesanywhere/sendHttpRequest.js";

const request = { method: "POST", headers: {}, body: "{}" };

describe("sendHttpRequest with keep-alive agents", () => {
  let server: http.Server;
  let url: URL;
  /** Remote ports of the connections each answered request came on. */
  let ports: number[] = [];
  /** When true, the next request is dropped without an answer (a server closing an idle connection). */
  let dropNext = false;
  before(async () => {
    server = http.createServer((req, res) => {
      if (dropNext) {
        dropNext = false;
        req.socket.destroy();
        return;
      }
      ports.push(req.socket.remotePort ?? 0);
      res.end(JSON.stringify({ n: ports.length }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sessions`);
  });
  beforeEach(() => {
    ports = [];
    dropNext = false;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("reuses one connection across calls", async () => {
    const agents = createKeepAliveAgents();
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await sendHttpRequest(url, request, { timeoutMs: 8000, agents });
        expect(answer.status).to.equal(200);
      }
      expect(ports).to.have.length(3);
      expect(new Set(ports).size, "distinct connections").to.equal(1);
    } finally {
      agents.agentFor(false).destroy();
    }
  });

  it("opens a new connection per call without agents", async () => {
    await sendHttpRequest(url, request, { timeoutMs: 8000 });
    await sendHttpRequest(url, request, { timeoutMs: 8000 });
    expect(new Set(ports).size, "distinct connections").to.equal(2);
  });

  it("sends once more on a new connection when the server dropped the kept one", async () => {
    const agents = createKeepAliveAgents();
    try {
      await sendHttpRequest(url, request, { timeoutMs: 8000, agents });
      dropNext = true;
      const answer = await sendHttpRequest(url, request, { timeoutMs: 8000, agents });
      expect(answer.status).to.equal(200);
      expect(dropNext, "the dropped request reached the server").to.equal(false);
      expect(ports).to.have.length(2);
      expect(ports[1]).to.not.equal(ports[0]);
    } finally {
      agents.agentFor(false).destroy();
    }
  });

  it("fails with RA_UNREACHABLE when a new connection is dropped (no second send)", async () => {
    dropNext = true;
    const err = await sendHttpRequest(url, request, { timeoutMs: 8000, agents: createKeepAliveAgents() }).catch(
      (e: unknown) => e as { code?: string },
    );
    expect(err).to.have.property("code", "RA_UNREACHABLE");
    expect(ports, "no request was answered").to.have.length(0);
  });

  it("closes an idle kept connection after the idle time", async () => {
    const agents = createKeepAliveAgents(100);
    try {
      await sendHttpRequest(url, request, { timeoutMs: 8000, agents });
      const free = Object.values(agents.agentFor(false).freeSockets).flat();
      expect(free, "one free kept connection").to.have.length(1);
      await new Promise<void>((r) => free[0]!.once("close", () => r()));
      expect(Object.values(agents.agentFor(false).freeSockets).flat()).to.have.length(0);
    } finally {
      agents.agentFor(false).destroy();
    }
  });
});
