/**
 * Test helper: a Vault stand-in wired to a TokenReview stand-in, PKI and kubernetes auth configured over its HTTP API.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startVaultStandIn, type VaultStandIn } from "../../../devstack/vault/startVaultStandIn.js";
import {
  startTokenReviewStandIn,
  type TokenReviewStandIn,
} from "../../../devstack/kubernetes/startTokenReviewStandIn.js";
import { systemClock, type Clock } from "../../../lib/time/clock.js";
import { testVaultClient, type TestVaultClient, type VaultClientError } from "./vaultTestClient.js";

export { testVaultClient, type TestVaultClient, type VaultClientError } from "./vaultTestClient.js";

const run = promisify(execFile);

/** A clock at real time plus an offset the test can move. */
export function shiftedClock(): Clock & { advance(ms: number): void; reset(): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: systemClock.sleep,
    advance: (ms) => void (offset += ms),
    reset: () => void (offset = 0),
  };
}

/** The URI SAN template that binds a certificate to the pod's own service account. */
export function spiffeTemplate(accessor: string): string {
  const md = (k: string) => `{{identity.entity.aliases.${accessor}.metadata.${k}}}`;
  return `spiffe://cluster.local/ns/${md("service_account_namespace")}/sa/${md("service_account_name")}`;
}

/** Everything a Vault integration test needs. */
export interface VaultKit {
  vault: VaultStandIn;
  k8s: TokenReviewStandIn;
  root: TestVaultClient;
  clock: ReturnType<typeof shiftedClock>;
  /** The kubernetes auth mount accessor (auth_kubernetes_xxxxxxxx). */
  accessor: string;
  /** Logs in as <ns>/<sa> and returns a client holding the new token. */
  login(namespace: string, serviceAccount: string, role?: string): Promise<TestVaultClient>;
  close(): Promise<void>;
}

/**
 * Starts both stand-ins and configures: pki (root CA, EC P-256, 87600h), role `app` (client cert, templated SPIFFE URI
 * SAN),
 * policy `pki-app` (sign/issue on that role), kubernetes auth (reviewer JWT) and role `app` bound to payments/app.
 */
export async function startVaultKit(): Promise<VaultKit> {
  const clock = shiftedClock();
  const k8s = await startTokenReviewStandIn({ clock, tls: true });
  const vault = await startVaultStandIn({ clock });
  const root = testVaultClient(vault.url, vault.rootToken);
  await root.mount({ mount_point: "pki", type: "pki" });
  await root.write("sys/mounts/pki/tune", { max_lease_ttl: "87600h" });
  await root.write("pki/root/generate/internal", { common_name: "Devstack Test Root", ttl: "87600h", key_type: "ec" });
  await root.enableAuth({ mount_point: "kubernetes", type: "kubernetes" });
  const auths = (await root.auths()) as Record<string, { accessor: string }>;
  const accessor = auths["kubernetes/"]!.accessor;
  await root.write("pki/roles/app", {
    allow_any_name: true,
    enforce_hostnames: false,
    allowed_uri_sans: spiffeTemplate(accessor),
    allowed_uri_sans_template: true,
    key_type: "ec",
    ttl: "1h",
    max_ttl: "24h",
    server_flag: false,
    client_flag: true,
  });
  await root.write("sys/policies/acl/pki-app", {
    policy: 'path "pki/sign/app" { capabilities = ["update"] }\npath "pki/issue/app" { capabilities = ["update"] }\n',
  });
  await root.write("auth/kubernetes/config", {
    kubernetes_host: k8s.url,
    kubernetes_ca_cert: k8s.caCertPem,
    token_reviewer_jwt: k8s.reviewerJwt,
  });
  await root.write("auth/kubernetes/role/app", {
    bound_service_account_names: "app",
    bound_service_account_namespaces: "payments",
    token_policies: "pki-app",
    token_ttl: "10m",
    token_max_ttl: "30m",
    audience: "https://kubernetes.default.svc.cluster.local",
  });
  return {
    vault,
    k8s,
    root,
    clock,
    accessor,
    async login(namespace, serviceAccount, role = "app") {
      const client = testVaultClient(vault.url);
      await client.kubernetesLogin({
        role,
        jwt: k8s.mintToken({ namespace, serviceAccount }),
        mount_point: "kubernetes",
      });
      return client;
    },
    close: async () => void (await Promise.all([vault.close(), k8s.close()])),
  };
}

/** Makes an EC P-256 key and a CSR with openssl in a fresh temp dir (removed afterwards). */
export async function opensslCsr(cn: string, uriSans: string[]): Promise<{ csr: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), "vault-standin-csr-"));
  try {
    const args = [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "csr.pem"),
      "-subj",
      `/CN=${cn}`,
    ];
    if (uriSans.length) args.push("-addext", `subjectAltName=${uriSans.map((u) => `URI:${u}`).join(",")}`);
    await run("openssl", args);
    return { csr: await readFile(join(dir, "csr.pem"), "utf8"), key: await readFile(join(dir, "key.pem"), "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `openssl x509 -noout -text` (or other args) on a PEM and returns stdout. */
export async function opensslText(pem: string, args: string[] = ["x509", "-noout", "-text"]): Promise<string> {
  const child = execFile("openssl", args);
  const out: string[] = [];
  child.stdout!.on("data", (d: Buffer) => out.push(d.toString()));
  child.stdin!.end(pem);
  await new Promise<void>((resolve, reject) =>
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`openssl exited ${code}`)))),
  );
  return out.join("");
}

/** The error `p` rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<VaultClientError> {
  try {
    await p;
  } catch (err) {
    return err as VaultClientError;
  }
  throw new Error("expected the request to fail");
}
