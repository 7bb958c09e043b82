"use strict";
/**
 * Floor program for `iamra-vault credential-process`: the least a Node program must do for the same result, used
 * only as a reference row of bench/startup.bench.ts ("what Node itself costs"). It reads the certificate and the
 * private key, signs one CreateSession request with SigV4-X509, sends it with node:net on a connection of its own
 * (plain HTTP: the devstack's loopback endpoint) and prints the credential_process JSON. None of the product's checks,
 * retries, logging or options: any failure ends it with a message on stderr and exit code 1.
 * Run: node bench/floor/credentialProcessFloor.cjs --certificate <pem> --private-key <pem> --trust-anchor-arn <arn>
 *      --profile-arn <arn> --role-arn <arn> --endpoint http://127.0.0.1:<port>
 */
const fs = require("node:fs");
const { createPrivateKey, X509Certificate } = require("node:crypto");
const net = require("node:net");
const { signCreateSession, credentialsFromAnswer } = require("./sigV4X509.cjs");

/** The value of each `--name value` pair in argv, keyed by name without the dashes. */
function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) throw new Error(`unexpected argument "${argv[i]}"`);
    flags[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of ["certificate", "private-key", "trust-anchor-arn", "profile-arn", "role-arn", "endpoint"]) {
    if (!flags[name]) throw new Error(`--${name} is required`);
  }
  return flags;
}

/** Sends one HTTP/1.1 request with `Connection: close` and resolves with { status, body } once the server closes. */
function post({ url, headers, body }) {
  if (url.protocol !== "http:") throw new Error(`only http:// endpoints are supported here, not ${url.origin}`);
  const lines = [`POST ${url.pathname}${url.search} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`, "connection: close", "", body);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) || 80, noDelay: true });
    const chunks = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer from ${url.origin} within 10 s`)));
    socket.on("error", reject);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const headEnd = text.indexOf("\r\n\r\n");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (headEnd < 0 || !status) return reject(new Error(`not an HTTP answer from ${url.origin}`));
      // the stand-in answers with Content-Length; a chunked body would need decoding, which this program does not do
      if (/\r\ntransfer-encoding:\s*chunked/i.test(text.slice(0, headEnd))) {
        return reject(new Error("chunked answers are not supported"));
      }
      resolve({ status: Number(status[1]), body: text.slice(headEnd + 4) });
    });
    // written without ending our side, as a client waiting for its answer does; the server closes the connection
    socket.write(lines.join("\r\n"));
  });
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const request = signCreateSession({
    endpoint: flags.endpoint,
    trustAnchorArn: flags["trust-anchor-arn"],
    profileArn: flags["profile-arn"],
    roleArn: flags["role-arn"],
    durationSeconds: 3600,
    privateKey: createPrivateKey(fs.readFileSync(flags["private-key"])),
    certificate: new X509Certificate(fs.readFileSync(flags.certificate)),
    chain: [],
    nowMs: Date.now(),
  });
  const answer = await post(request);
  const c = credentialsFromAnswer(answer.status, answer.body);
  const processJson = {
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration,
  };
  process.stdout.write(`${JSON.stringify(processJson)}\n`);
}

main().catch((err) => {
  process.stderr.write(`credential-process floor: ${err.message}\n`);
  process.exitCode = 1;
});
