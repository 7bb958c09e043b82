"use strict";
/**
 * Floor program for `iamra-vault refresher`: the least a long-running Node program must do for the same result, used
 * only as a reference row of bench/refresherRss.bench.ts ("what Node itself costs"). At start it gets one certificate
 * from Vault (vaultCertificate.cjs) and keeps it for the whole run, as the refresher reuses its certificate, and writes
 * a random token to <output dir>/endpoint-token. It then serves the container credentials endpoint on 127.0.0.1 (GET
 * /credentials with `Authorization: <token>`, the credentials as JSON), and at half the lifetime of the credentials it
 * holds (± 10 %), as the refresher does, signs and sends CreateSession again (keep-alive connection) and rewrites the
 * credentials file through a temp file and a rename. None of the product's checks, retries, logging, metrics, state
 * file or options: any failure ends it with a message on stderr and exit code 1.
 * stdout: one JSON line {"endpoint": "<url>"} once the endpoint listens, then {"refreshed": <count>} after each
 * refresh.
 * Settings: --output-dir <dir> --session-duration <seconds>, and the environment initFloor.cjs reads.
 */
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { createHash, randomBytes, timingSafeEqual } = require("node:crypto");
const { vaultCertificate } = require("./vaultCertificate.cjs");
const { signCreateSession, credentialsFromAnswer } = require("./sigV4X509.cjs");
const { httpPost } = require("./httpPost.cjs");
const { writeCredentialsFile } = require("./writeCredentialsFile.cjs");

/** The value after `--name` in argv; throws when it is missing. */
function flag(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1];
}

const sha256 = (text) => createHash("sha256").update(text).digest();

/** Serves `current()` to GET /credentials with the right token; resolves with the endpoint's URL once listening. */
function serveCredentials(token, current) {
  const expected = sha256(token);
  const server = http.createServer((req, res) => {
    const given = req.headers.authorization;
    const credentials = current();
    let status = 200;
    if (req.url !== "/credentials" || req.method !== "GET") status = 404;
    // hashes of equal length, so the comparison takes the same time whatever the token given
    else if (typeof given !== "string" || !timingSafeEqual(sha256(given), expected)) status = 401;
    else if (!credentials) status = 503;
    const body =
      status === 200
        ? {
            AccessKeyId: credentials.accessKeyId,
            SecretAccessKey: credentials.secretAccessKey,
            Token: credentials.sessionToken,
            Expiration: credentials.expiration,
          }
        : { message: http.STATUS_CODES[status] };
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}/credentials`));
  });
}

async function main() {
  const env = process.env;
  const outputDir = flag("output-dir");
  const durationSeconds = Number(flag("session-duration"));
  for (const name of ["ANCHOR_ARN", "PROFILE_ARN", "ROLE_ARN", "AWS_ENDPOINT_URL_ROLESANYWHERE"]) {
    if (!env[name]) throw new Error(`${name} is not set`);
  }
  const identity = await vaultCertificate(env);
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 1 });
  let credentials;
  let refreshes = 0;

  const refresh = async () => {
    const obtainedAtMs = Date.now();
    const request = signCreateSession({
      endpoint: env.AWS_ENDPOINT_URL_ROLESANYWHERE,
      trustAnchorArn: env.ANCHOR_ARN,
      profileArn: env.PROFILE_ARN,
      roleArn: env.ROLE_ARN,
      durationSeconds,
      ...identity,
      nowMs: obtainedAtMs,
    });
    const answer = await httpPost(request.url, request.headers, request.body, agent);
    credentials = credentialsFromAnswer(answer.status, answer.body);
    writeCredentialsFile(outputDir, credentials);
    process.stdout.write(`${JSON.stringify({ refreshed: ++refreshes })}\n`);
    // the next one at the middle of these credentials' lifetime, ± 10 % of that half, as the refresher plans it
    const halfMs = (Date.parse(credentials.expiration) - obtainedAtMs) / 2;
    const nextAtMs = obtainedAtMs + halfMs * (1 + (Math.random() * 2 - 1) * 0.1);
    setTimeout(() => refresh().catch(fail), Math.max(0, nextAtMs - Date.now()));
  };

  const token = randomBytes(32).toString("base64url");
  const tokenTemp = path.join(outputDir, `.endpoint-token.${process.pid}.tmp`);
  fs.writeFileSync(tokenTemp, token, { mode: 0o644 });
  fs.renameSync(tokenTemp, path.join(outputDir, "endpoint-token"));
  const url = await serveCredentials(token, () => credentials);
  process.stdout.write(`${JSON.stringify({ endpoint: url })}\n`);
  await refresh();
}

/** Ends the program on the first failure: a floor that stops refreshing must not look like a quiet one. */
function fail(err) {
  process.stderr.write(`refresher floor: ${err.stack ?? err}\n`);
  process.exit(1);
}

main().catch(fail);
