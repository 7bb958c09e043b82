import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { callTokenReview } from "../../../devstack/vault/kubernetesAuth/callTokenReview.js";

const REVIEW = JSON.stringify({
  status: { authenticated: true, user: { username: "system:serviceaccount:demo:app", uid: "u-1" } },
});

describe("callTokenReview", () => {
  let server: Server;
  let host: string;
  const sockets = new Set<Socket>();
  /** Requests each connection has carried. */
  const served = new Map<Socket, number>();
  let dropSecondRequestOnce = false;

  before(async () => {
    server = createServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      req.resume();
      req.on("end", () => {
        if (n === 2 && dropSecondRequestOnce) {
          dropSecondRequestOnce = false;
          req.socket.destroy(); // the connection closes under the kept-alive request
          return;
        }
        res.writeHead(201, { "Content-Type": "application/json" }).end(REVIEW);
      });
    });
    server.on("connection", (s: Socket) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    server.closeIdleConnections();
    sockets.clear();
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("keeps the connection to the API server between reviews", async () => {
    const target = { host, bearer: "reviewer" };
    for (let i = 0; i < 3; i++) {
      expect(await callTokenReview(target, "jwt", ["vault"])).to.deep.equal({
        namespace: "demo",
        name: "app",
        uid: "u-1",
      });
    }
    expect(sockets.size).to.equal(1);
  });

  it("sends the review again on a new connection when a kept-alive one closes under it", async () => {
    const target = { host, bearer: "reviewer" };
    await callTokenReview(target, "jwt", ["vault"]);
    dropSecondRequestOnce = true;
    expect((await callTokenReview(target, "jwt", ["vault"])).name).to.equal("app");
    expect(dropSecondRequestOnce).to.equal(false);
    expect(sockets.size).to.equal(2);
  });
});
