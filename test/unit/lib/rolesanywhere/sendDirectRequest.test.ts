import { expect } from "chai";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { sendHttpRequest } from "../../../../lib/rolesanywhere/sendHttpRequest.js";
import { sendDirectRequest } from "../../../../lib/rolesanywhere/sendDirectRequest.js";
import { makeServingCa } from "../../../support/tlsFiles.js";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

const close = (server: net.Server) => new Promise<void>((r) => server.close(() => r()));

describe("sendDirectRequest (sendHttpRequest without proxy or kept connections)", () => {
  let handler: Handler;
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => close(server));

  it("sends the method, path, query, headers and body, and reads a chunked answer", async () => {
    let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string } | undefined;
    handler = (req, body, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(201, { "content-type": "application/json", "x-amzn-requestid": "r-1" });
      res.write('{"part":');
      setImmediate(() => res.end('"€ two"}'));
    };
    const url = new URL(`${base}/sessions?profileArn=a%3Ab&roleArn=x%20y`);
    const body = JSON.stringify({ durationSeconds: 900, name: "é" });
    const answer = await sendHttpRequest(
      url,
      { method: "POST", headers: { "X-Amz-Date": "20260101T000000Z" }, body },
      {
        timeoutMs: 10_000,
      },
    );
    expect(answer.status).to.equal(201);
    expect(answer.headers).to.include({ "content-type": "application/json", "x-amzn-requestid": "r-1" });
    expect(answer.headers["transfer-encoding"]).to.equal("chunked");
    expect(JSON.parse(answer.body)).to.deep.equal({ part: "€ two" });
    expect(seen).to.deep.include({ method: "POST", url: "/sessions?profileArn=a%3Ab&roleArn=x%20y", body });
    expect(seen!.headers).to.include({
      host: url.host,
      "x-amz-date": "20260101T000000Z",
      "content-length": String(Buffer.byteLength(body)),
      connection: "close",
    });
  });

  it("sends the Host header it is given (the signed one) instead of its own", async () => {
    let host: string | undefined;
    handler = (req, _body, res) => {
      host = req.headers.host;
      res.end("{}");
    };
    await sendHttpRequest(
      new URL(`${base}/sessions`),
      { method: "POST", headers: { host: "signed.example:1" }, body: "" },
      {
        timeoutMs: 10_000,
      },
    );
    expect(host).to.equal("signed.example:1");
  });

  it("fails with RA_TIMEOUT when no answer comes in time, and with ABORTED on a stop", async () => {
    handler = () => undefined; // never answers
    const url = new URL(`${base}/sessions`);
    const request = { method: "POST", headers: {}, body: "{}" };
    const e = (await sendHttpRequest(url, request, { timeoutMs: 200 }).catch((x: unknown) => x)) as { code?: string };
    expect(e.code).to.equal("RA_TIMEOUT");
    const stop = new AbortController();
    const sent = sendHttpRequest(url, request, { timeoutMs: 120_000 }, stop.signal).catch((x: unknown) => x);
    setImmediate(() => stop.abort(new Error("received SIGTERM")));
    expect(((await sent) as { code?: string }).code).to.equal("ABORTED");
  });

  it("fails with RA_UNREACHABLE when nothing listens or the answer is not HTTP", async () => {
    const idle = net.createServer();
    const port = await listen(idle);
    await close(idle);
    const request = { method: "POST", headers: {}, body: "{}" };
    const refused = (await sendHttpRequest(new URL(`http://127.0.0.1:${port}/sessions`), request, {
      timeoutMs: 10_000,
    }).catch((x: unknown) => x)) as { code?: string; details?: { errno?: string } };
    expect(refused).to.deep.include({ code: "RA_UNREACHABLE" });
    expect(refused.details?.errno).to.equal("ECONNREFUSED");

    const garbage = net.createServer((s) => s.resume().end("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
    const gport = await listen(garbage);
    try {
      const e = (await sendHttpRequest(new URL(`http://127.0.0.1:${gport}/sessions`), request, {
        timeoutMs: 10_000,
      }).catch((x: unknown) => x)) as { code?: string; details?: { errno?: string } };
      expect(e.code).to.equal("RA_UNREACHABLE");
      expect(e.details?.errno).to.equal("HPE_INVALID");
    } finally {
      await close(garbage);
    }
  });

  it("checks an https endpoint's certificate against the CA bundle", async () => {
    const ca = await makeServingCa();
    const pair = await ca.issue();
    const tlsServer = https.createServer({ cert: pair.cert, key: pair.key }, (_req, res) => res.end('{"ok":true}'));
    const url = new URL(`https://127.0.0.1:${await listen(tlsServer)}/sessions`);
    const request = { method: "POST", headers: {}, body: "{}" };
    try {
      const trusted = await sendHttpRequest(url, request, { timeoutMs: 10_000, caPem: ca.caPem });
      expect(trusted).to.deep.include({ status: 200, body: '{"ok":true}' });
      const untrusted = (await sendHttpRequest(url, request, { timeoutMs: 10_000 }).catch((x: unknown) => x)) as {
        code?: string;
      };
      expect(untrusted.code).to.equal("RA_TLS_FAILED");
      const unchecked = await sendHttpRequest(url, request, { timeoutMs: 10_000, rejectUnauthorized: false });
      expect(unchecked.status).to.equal(200);
    } finally {
      await close(tlsServer);
    }
  });

  it("refuses header values that would split the request", () => {
    const url = new URL(`${base}/sessions`);
    expect(() => sendDirectRequest(url, { method: "POST", headers: { "x-a": "1\r\nx-b: 2" }, body: "" }, {})).to.throw(
      TypeError,
    );
  });
});
