"use strict";
/** One POST with node:http for the floor programs (bench/floor/*Floor.cjs): plain HTTP, as the devstack serves it. */
const http = require("node:http");

/**
 * POSTs `body` (a string) to `url` (a URL) with `headers` and resolves with { status, body }; rejects on a socket error
 * or when no complete answer came within 10 s. `agent` is an http.Agent (keep-alive) or undefined for the default one.
 */
function httpPost(url, headers, body, agent) {
  if (url.protocol !== "http:") throw new Error(`only http:// URLs are supported here, not ${url.origin}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url.origin}${url.pathname} within 10 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

module.exports = { httpPost };
