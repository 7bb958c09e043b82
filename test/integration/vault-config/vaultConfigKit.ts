/**
 * Test kit for vault-config on the devstack: Vault + TokenReview stand-ins, the dev config pointed at them, pod logins
 * and CSRs.
 */
import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { startVaultStandIn, type VaultStandIn } from "../../../devstack/vault/startVaultStandIn.js";
import {
  startTokenReviewStandIn,
  type TokenReviewStandIn,
} from "../../../devstack/kubernetes/startTokenReviewStandIn.js";
import { silentLogger } from "../../../lib/log.js";
import { systemClock } from "../../../lib/time/clock.js";
import { createVaultClient } from "../../../lib/vault/createVaultClient.js";
import type { IssuedCertificate, VaultClient } from "../../../lib/vault/VaultClient.js";
import { createCsr } from "../../../lib/x509/createCsr.js";
import { generateKeyPair, type GeneratedKeyPair } from "../../../lib/x509/generateKeyPair.js";
import { parseVaultConfig } from "../../../lib/vaultconfig/parseVaultConfig.js";
import type { VaultConfig } from "../../../lib/vaultconfig/VaultConfig.js";

/** The bundled development config's text. */
export const DEV_CONFIG_TEXT = readFileSync(
  new URL("../../../devstack/vault-config.dev.yaml", import.meta.url),
  "utf8",
);

/** Running stand-ins plus helpers. */
export interface VaultConfigKit {
  vault: VaultStandIn;
  k8s: TokenReviewStandIn;
  /** A VaultClient holding the root token (the operator). */
  root: VaultClient;
  /** Parses `text` (default: the dev config) and points its kubernetes auth config at the TokenReview stand-in. */
  config(text?: string): VaultConfig;
  /** A fresh VaultClient logged in through kubernetes auth as <namespace>/<serviceAccount> with `role`. */
  login(namespace: string, serviceAccount: string, role: string): Promise<VaultClient>;
  close(): Promise<void>;
}

/** A new VaultClient for the stand-in (no token). */
export function vaultClient(url: string): VaultClient {
  return createVaultClient({ addr: url, timeoutMs: 5000, maxAttempts: 1, clock: systemClock, log: silentLogger() });
}

/** Starts both stand-ins on 127.0.0.1:0. */
export async function startVaultConfigKit(): Promise<VaultConfigKit> {
  const k8s = await startTokenReviewStandIn({ host: "127.0.0.1", port: 0, tls: true });
  const vault = await startVaultStandIn({ host: "127.0.0.1", port: 0 });
  const root = vaultClient(vault.url);
  root.useToken(vault.rootToken);
  const clients: VaultClient[] = [root];
  return {
    vault,
    k8s,
    root,
    config(text = DEV_CONFIG_TEXT) {
      const c = parseVaultConfig(text);
      c.kubernetesAuth.config = {
        ...c.kubernetesAuth.config!,
        host: k8s.url,
        caCert: k8s.caCertPem,
        tokenReviewerJwt: k8s.reviewerJwt,
      };
      return c;
    },
    async login(namespace, serviceAccount, role) {
      const client = vaultClient(vault.url);
      clients.push(client);
      await client.loginKubernetes({ role, jwt: k8s.mintToken({ namespace, serviceAccount, audiences: ["vault"] }) });
      return client;
    },
    async close() {
      for (const c of clients) c.close();
      await vault.close();
      await k8s.close();
    },
  };
}

/** A pod's request: a fresh EC P-256 key and a CSR for CN <sa>.<ns> with the given URI SAN. */
export async function podCsr(commonName: string, uri: string): Promise<{ keyPair: GeneratedKeyPair; csrPem: string }> {
  const keyPair = await generateKeyPair("ec-p256");
  return { keyPair, csrPem: await createCsr({ keyPair, commonName, uriSans: [uri] }) };
}

/** Signs a CSR for <ns>/<sa> with `client` on pki/sign/<role>, naming `uri` (default: the SA's own SPIFFE ID). */
export async function signFor(
  client: VaultClient,
  role: string,
  ns: string,
  sa: string,
  uri = `spiffe://cluster.local/ns/${ns}/sa/${sa}`,
): Promise<IssuedCertificate & { keyPair: GeneratedKeyPair }> {
  const { keyPair, csrPem } = await podCsr(`${sa}.${ns}`, uri);
  const cert = await client.pkiSign({ mount: "pki", role, csrPem, commonName: `${sa}.${ns}` });
  return { ...cert, keyPair };
}

/** URI SANs of a PEM certificate. */
export function uriSansOf(pem: string): string[] {
  const alt = new X509Certificate(pem).subjectAltName ?? "";
  return alt
    .split(", ")
    .filter((s) => s.startsWith("URI:"))
    .map((s) => s.slice(4));
}

/** True when `child` was issued and signed by `parent`. */
export function signedBy(childPem: string, parentPem: string): boolean {
  const child = new X509Certificate(childPem);
  const parent = new X509Certificate(parentPem);
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}
