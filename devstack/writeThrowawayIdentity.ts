import { mkdir, writeFile } from "node:fs/promises";
import { writeFileAtomic } from "../lib/deliver/writeFileAtomic.js";
import { join } from "node:path";
import { generateKeyPair } from "../lib/x509/generateKeyPair.js";
import { makeCertificate } from "./certificates/makeCertificate.js";
import { cryptoKeyPairOf } from "./certificates/cryptoKeyPairOf.js";

/** Paths of the throwaway CA, client certificate and key written for trying credential-process. */
export interface ThrowawayIdentity {
  dir: string;
  caCertificate: string;
  certificate: string;
  privateKey: string;
  caPem: string;
}

/**
 * Writes a throwaway CA (ca.pem), an EC P-256 client certificate (client.pem) and its key (client.key, 0600) into
 * `dir`.
 */
export async function writeThrowawayIdentity(dir: string, nowMs: number): Promise<ThrowawayIdentity> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await makeCertificate({
    subject: "CN=iamra-vault devstack throwaway CA",
    ca: true,
    notBefore: new Date(nowMs - 3_600_000),
    notAfter: new Date(nowMs + 30 * 86_400_000),
  });
  const pair = await generateKeyPair("ec-p256");
  const leaf = await makeCertificate({
    subject: "CN=devstack-client",
    issuer: ca,
    keys: await cryptoKeyPairOf(pair),
    uriSans: ["spiffe://cluster.local/ns/devstack/sa/throwaway"],
    notBefore: new Date(nowMs - 3_600_000),
    notAfter: new Date(nowMs + 7 * 86_400_000),
  });
  const keyPem = pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" });
  const paths = {
    dir,
    caCertificate: join(dir, "ca.pem"),
    certificate: join(dir, "client.pem"),
    privateKey: join(dir, "client.key"),
  };
  await writeFile(paths.caCertificate, ca.pem);
  await writeFile(paths.certificate, leaf.pem);
  await writeFileAtomic(paths.privateKey, keyPem, { mode: 0o600 }); // 0600 even when an older file had a wider mode
  return { ...paths, caPem: ca.pem };
}
