"use strict";
/**
 * Floor program for `iamra-vault init`: the least a Node program must do for the same result, used only as a reference
 * row of bench/startup.bench.ts ("what Node itself costs"). It logs in to Vault with the service-account token, has
 * Vault's PKI sign a request for a key made here, calls Roles Anywhere CreateSession with the certificate and its
 * intermediates (X-Amz-X509-Chain) and writes the credentials file through a temp file and a rename; node:http for
 * every call. None of the product's checks, retries, logging, state file or options: any failure ends it with a
 * message on stderr and exit code 1.
 * Settings: --output-dir <dir>, and the environment iamra-vault init reads: VAULT_ADDR, VAULT_ROLE,
 * IAMRA_SA_TOKEN_FILE, ANCHOR_ARN, PROFILE_ARN, ROLE_ARN, AWS_ENDPOINT_URL_ROLESANYWHERE (see vaultCertificate.cjs).
 */
const { vaultCertificate } = require("./vaultCertificate.cjs");
const { signCreateSession, credentialsFromAnswer } = require("./sigV4X509.cjs");
const { httpPost } = require("./httpPost.cjs");
const { writeCredentialsFile } = require("./writeCredentialsFile.cjs");

async function main() {
  const env = process.env;
  const outputDir = process.argv[process.argv.indexOf("--output-dir") + 1];
  if (!process.argv.includes("--output-dir") || !outputDir) throw new Error("--output-dir is required");
  for (const name of ["ANCHOR_ARN", "PROFILE_ARN", "ROLE_ARN", "AWS_ENDPOINT_URL_ROLESANYWHERE"]) {
    if (!env[name]) throw new Error(`${name} is not set`);
  }
  const { privateKey, certificate, chain } = await vaultCertificate(env);
  const request = signCreateSession({
    endpoint: env.AWS_ENDPOINT_URL_ROLESANYWHERE,
    trustAnchorArn: env.ANCHOR_ARN,
    profileArn: env.PROFILE_ARN,
    roleArn: env.ROLE_ARN,
    durationSeconds: 3600,
    privateKey,
    certificate,
    chain,
    nowMs: Date.now(),
  });
  const answer = await httpPost(request.url, request.headers, request.body);
  writeCredentialsFile(outputDir, credentialsFromAnswer(answer.status, answer.body));
}

main().catch((err) => {
  process.stderr.write(`init floor: ${err.message}\n`);
  process.exitCode = 1;
});
