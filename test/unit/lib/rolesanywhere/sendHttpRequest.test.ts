import { expect } from "chai";
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sendHttpRequest } from "../../../../lib/rolesanywhere/sendHttpRequest.js";
import { startScriptedServer } from "../../../support/scriptedServer.js";

const moduleUrl = new URL("../../../../lib/rolesanywhere/sendHttpRequest.ts", import.meta.url).href;
const root = fileURLToPath(new URL("../../../..", import.meta.url));

describe("sendHttpRequest", () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    // answers with headers and part of the body, then drops the connection
    server = http.createServer((_req, res) => {
      res.writeHead(500, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sessions`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("fails with RA_UNREACHABLE and lets the process exit at once when the connection drops mid-answer", async function () {
    this.timeout(60_000);
    // in a child process: a timeout timer left pending would keep it (e.g. credential-process) alive for up to
    // timeoutMs
    const script = `
      const { sendHttpRequest } = await import(${JSON.stringify(moduleUrl)});
      process.on("exit", () => console.log(JSON.stringify({ code: globalThis.code, lingeredMs: Date.now() - globalThis.failedAt })));
      await sendHttpRequest(new URL(${JSON.stringify(url)}), { method: "POST", headers: {}, body: "{}" }, { timeoutMs: 120000 })
        .catch((e) => { globalThis.code = e.code; globalThis.failedAt = Date.now(); });`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { cwd: root },
    );
    const out = JSON.parse(stdout.trim().split("\n").pop()!) as { code: string; lingeredMs: number };
    expect(out.code).to.equal("RA_UNREACHABLE");
    // a leftover 120 s timeout timer would keep the process alive 120 s
    expect(out.lingeredMs, "ms the process stayed alive after the failure").to.be.below(10_000);
  });

  it("a stop aborts a request that gets no answer at once with ABORTED", async function () {
    this.timeout(40_000);
    const hung = await startScriptedServer([{ hang: true }]);
    try {
      const stop = new AbortController();
      const request = { method: "POST", headers: {}, body: "{}" };
      const sent = sendHttpRequest(new URL(`${hung.url}/sessions`), request, { timeoutMs: 120_000 }, stop.signal).catch(
        (e: unknown) => e,
      );
      const deadline = Date.now() + 15_000;
      while (hung.seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(hung.seen, "the request arrived").to.have.length(1);
      const started = Date.now();
      stop.abort(new Error("received SIGTERM"));
      const e = (await sent) as { code?: string; message?: string };
      expect(e.code, e.message).to.equal("ABORTED");
      expect(Date.now() - started, "ms from the stop (the request's timeout is 120 s)").to.be.below(10_000);
    } finally {
      await hung.close();
    }
  });

  it("sends nothing once stopped", async () => {
    const hung = await startScriptedServer([{ status: 200, body: "{}" }]);
    try {
      const stop = new AbortController();
      stop.abort(new Error("received SIGTERM"));
      const request = { method: "POST", headers: {}, body: "{}" };
      const e = (await sendHttpRequest(
        new URL(`${hung.url}/sessions`),
        request,
        { timeoutMs: 120_000 },
        stop.signal,
      ).catch((x: unknown) => x)) as { code?: string };
      expect(e.code).to.equal("ABORTED");
      await new Promise((r) => setTimeout(r, 50));
      expect(hung.seen).to.have.length(0);
    } finally {
      await hung.close();
    }
  });
});
