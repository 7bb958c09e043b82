import { expect } from "chai";
import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { caSecureContext } from "../../../../lib/net/caSecureContext.js";
import { createKeepAliveAgents, sendHttpRequest } from "../../../../lib/rolesanywhere/sendHttpRequest.js";
import { createVaultHttp } from "../../../../lib/vault/vaultHttp.js";
import { makeServingCa } from "../../../support/tlsFiles.js";

describe("caSecureContext", () => {
  it("returns the same context for the same bundle, and another for another bundle", async () => {
    const [a, b] = await Promise.all([makeServingCa(), makeServingCa()]);
    const first = caSecureContext(a.caPem);
    expect(caSecureContext(a.caPem)).to.equal(first);
    expect(caSecureContext(b.caPem)).to.not.equal(first);
  });

  it("is made once for every connection of the process: Roles Anywhere direct and kept, and Vault", async () => {
    const ca = await makeServingCa();
    const pair = await ca.issue();
    // every answer closes its connection, so each call below opens a new one
    const server = https.createServer({ cert: pair.cert, key: pair.key }, (_req, res) => {
      res.setHeader("connection", "close");
      res.setHeader("content-type", "application/json");
      res.end("{}");
    });
    let connections = 0;
    server.on("secureConnection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const made: unknown[] = [];
    const create = tls.createSecureContext;
    tls.createSecureContext = (options) => {
      if (options?.ca !== undefined) made.push(options.ca);
      return create(options);
    };
    const vault = createVaultHttp({ addr: origin, caCertPem: ca.caPem, timeoutMs: 10_000, now: Date.now });
    try {
      const url = new URL(`${origin}/sessions`);
      const request = { method: "POST", headers: {}, body: "{}" };
      const agents = createKeepAliveAgents();
      for (const transport of [{}, {}, { agents }, { agents }]) {
        const answer = await sendHttpRequest(url, request, { timeoutMs: 10_000, caPem: ca.caPem, ...transport });
        expect(answer.status).to.equal(200);
      }
      for (let i = 0; i < 2; i++) {
        expect((await vault.send({ method: "GET", path: "sys/health", step: "test" })).status).to.equal(200);
      }
      agents.agentFor(true).destroy();
    } finally {
      tls.createSecureContext = create;
      vault.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(connections).to.equal(6);
    expect(made).to.deep.equal([ca.caPem]);
  });
});
