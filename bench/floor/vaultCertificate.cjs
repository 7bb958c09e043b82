"use strict";
/**
 * The Vault half of the floor programs (bench/floor/initFloor.cjs, refresherFloor.cjs), as iamra-vault does it with
 * its defaults: Kubernetes auth login with the service-account token, an EC P-256 key made here, a PKCS#10 request
 * (RFC 2986) for CN <name>.<namespace> with the SPIFFE URI SAN in an extensionRequest, sent to <pki mount>/sign/<role>.
 * Settings are read from the same environment variables as iamra-vault's, with the same defaults.
 */
const { generateKeyPairSync, sign, X509Certificate } = require("node:crypto");
const fs = require("node:fs");
const { httpPost } = require("./httpPost.cjs");

/** A DER length: short form below 128, else 0x80 | byte count followed by the big-endian bytes. */
function derLength(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A DER tag-length-value with `parts` joined as the value. */
function der(tag, ...parts) {
  const value = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

/** A DER OBJECT IDENTIFIER from its dotted form. */
function derOid(dotted) {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let high = arc >> 7; high > 0; high >>= 7) base128.unshift(0x80 | (high & 0x7f));
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

/** The PEM certificate request for CN=`commonName` and one URI subjectAltName, signed with ECDSA-SHA256. */
function certificateRequest(privateKey, publicKey, commonName, uriSan) {
  const subject = der(0x30, der(0x31, der(0x30, derOid("2.5.4.3"), der(0x0c, Buffer.from(commonName)))));
  // subjectAltName: GeneralNames with one uniformResourceIdentifier [6]
  const san = der(0x30, derOid("2.5.29.17"), der(0x04, der(0x30, der(0x86, Buffer.from(uriSan, "ascii")))));
  const extensionRequest = der(0x30, derOid("1.2.840.113549.1.9.14"), der(0x31, der(0x30, san)));
  const info = der(
    0x30,
    der(0x02, Buffer.from([0])), // version v1
    subject,
    publicKey.export({ type: "spki", format: "der" }),
    der(0xa0, extensionRequest), // attributes [0]
  );
  const signature = sign("sha256", info, { key: privateKey, dsaEncoding: "der" });
  const ecdsaWithSha256 = der(0x30, derOid("1.2.840.10045.4.3.2"));
  const request = der(0x30, info, ecdsaWithSha256, der(0x03, Buffer.from([0]), signature));
  const base64 = request.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE REQUEST-----\n${base64}\n-----END CERTIFICATE REQUEST-----\n`;
}

/** POSTs `payload` as JSON to Vault's API path `path` and returns the parsed answer; throws on anything but 2xx. */
async function vaultPost(addr, path, payload, token) {
  const headers = { "content-type": "application/json", ...(token ? { "x-vault-token": token } : {}) };
  const answer = await httpPost(new URL(`/v1/${path}`, addr), headers, JSON.stringify(payload));
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`Vault ${path} answered HTTP ${answer.status}: ${answer.body.slice(0, 500)}`);
  }
  return JSON.parse(answer.body);
}

/** Namespace and name of the service account a Kubernetes token was issued to (its payload is read, not verified). */
function serviceAccountOf(jwt) {
  const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
  const k8s = claims["kubernetes.io"];
  if (!k8s?.namespace || !k8s.serviceaccount?.name) throw new Error("the token names no service account");
  return { namespace: k8s.namespace, name: k8s.serviceaccount.name };
}

/**
 * Logs in to Vault and has it sign a certificate for a key made here: { privateKey, certificate, chain }, with the
 * chain as Roles Anywhere wants it (intermediates from Vault's ca_chain, no self-signed root). `env`: VAULT_ADDR,
 * VAULT_ROLE, IAMRA_SA_TOKEN_FILE, and optionally IAMRA_PKI_MOUNT (pki), IAMRA_PKI_ROLE (the Vault role),
 * IAMRA_TRUST_DOMAIN (cluster.local).
 */
async function vaultCertificate(env) {
  for (const name of ["VAULT_ADDR", "VAULT_ROLE", "IAMRA_SA_TOKEN_FILE"]) {
    if (!env[name]) throw new Error(`${name} is not set`);
  }
  const jwt = fs.readFileSync(env.IAMRA_SA_TOKEN_FILE, "utf8").trim();
  const sa = serviceAccountOf(jwt);
  const login = vaultPost(env.VAULT_ADDR, "auth/kubernetes/login", { role: env.VAULT_ROLE, jwt });
  // the key and the request are made while the login is on its way, as iamra-vault does
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const csr = certificateRequest(
    privateKey,
    publicKey,
    `${sa.name}.${sa.namespace}`,
    `spiffe://${env.IAMRA_TRUST_DOMAIN || "cluster.local"}/ns/${sa.namespace}/sa/${sa.name}`,
  );
  const token = (await login).auth.client_token;
  const path = `${env.IAMRA_PKI_MOUNT || "pki"}/sign/${env.IAMRA_PKI_ROLE || env.VAULT_ROLE}`;
  const signed = await vaultPost(env.VAULT_ADDR, path, { csr, format: "pem" }, token);
  const certificate = new X509Certificate(signed.data.certificate);
  const authorities = signed.data.ca_chain?.length ? signed.data.ca_chain : [signed.data.issuing_ca];
  const chain = authorities.map((pem) => new X509Certificate(pem)).filter((c) => c.subject !== c.issuer);
  return { privateKey, certificate, chain };
}

module.exports = { vaultCertificate };
