import { createPrivateKey, webcrypto } from "node:crypto";
import { makeCertificate } from "../certificates/makeCertificate.js";

/** A serving certificate chain and key (PEM) for a Kubernetes API stand-in, and the throwaway CA that signed it. */
export interface ApiServerCertificate {
  cert: string;
  key: string;
  caCertPem: string;
}

/** Makes a throwaway CA and a serving certificate for `host` (an IP or DNS SAN), as kube-apiserver serves HTTPS. */
export async function apiServerCertificate(host: string): Promise<ApiServerCertificate> {
  const ca = await makeCertificate({ subject: "CN=iamra-vault devstack kubernetes CA", ca: true });
  const ip = /^[\d.]+$|:/.test(host);
  const leaf = await makeCertificate({
    subject: "CN=kube-apiserver",
    issuer: ca,
    ...(ip ? { ipSans: [host] } : { dnsSans: [host] }),
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", leaf.keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem" });
  return { cert: leaf.pem + ca.pem, key: String(key), caCertPem: ca.pem };
}
