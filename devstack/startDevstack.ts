import { join } from "node:path";
import type { Logger } from "../lib/log.js";
import { silentLogger } from "../lib/log.js";
import { systemClock, type Clock } from "../lib/time/clock.js";
import { createVaultClient } from "../lib/vault/createVaultClient.js";
import { createSessionStore, type SessionStore } from "./aws/sessionStore.js";
import { startRolesAnywhereStandIn, type RolesAnywhereStandIn } from "./rolesanywhere/startRolesAnywhereStandIn.js";
import { startStsStandIn, type StsStandIn } from "./sts/startStsStandIn.js";
import type { VaultStandIn } from "./vault/startVaultStandIn.js";
import { startDevVault, type DevVault, type DevVaultChoice } from "./startDevVault.js";
import { startTokenReviewStandIn, type TokenReviewStandIn } from "./kubernetes/startTokenReviewStandIn.js";
import { configureDevVault } from "./configureDevVault.js";
import { trustPolicyFor } from "../lib/vaultconfig/buildExportArtifacts.js";
import { writeThrowawayIdentity } from "./writeThrowawayIdentity.js";
import { startAdminServer } from "./startAdminServer.js";
import type { DevstackInfo } from "./devstackInfo.js";

/** Audience of service-account tokens for Vault in the development config (devstack/vault-config.dev.yaml). */
const DEV_TOKEN_AUDIENCE = "vault";

/** External ID the devstack's chained role requires in STS AssumeRole. */
export const CHAIN_EXTERNAL_ID = "iamra-devstack-external-id";

/** Default first port: Vault on it, then TokenReview, Roles Anywhere, STS and the admin endpoint on the next four. */
const DEFAULT_PORT_BASE = 18200;

/** Options of startDevstack. portBase 0 gives every stand-in a free port (tests). */
export interface DevstackOptions {
  host?: string;
  portBase?: number;
  /** Directory for the throwaway CA, client certificate and key. */
  dir: string;
  clock?: Clock;
  log?: Logger;
  /** Shortest session the Roles Anywhere stand-in accepts (900 as at AWS; tests use seconds). */
  minSessionSeconds?: number;
  /** Roles Anywhere CreateSession quota per second (10 as at AWS). */
  tps?: number;
  /** The Vault to run on (default: the built-in stand-in). */
  vault?: DevVaultChoice;
}

/**
 * A running devstack: every stand-in, the shared session store and the info to print. `vault` is the Vault stand-in,
 * undefined when the devstack runs on a real server (`vaultServer` describes either).
 */
export interface Devstack<V extends VaultStandIn | undefined = VaultStandIn> {
  vault: V;
  vaultServer: DevVault;
  tokenReview: TokenReviewStandIn;
  rolesAnywhere: RolesAnywhereStandIn;
  sts: StsStandIn;
  sessions: SessionStore;
  info: DevstackInfo;
  close(): Promise<void>;
}

/**
 * Starts the loopback stand-ins (test doubles), or a real Vault-compatible server in place of the Vault stand-in, and
 * configures them so that a pod-like init flow works end to end.
 */
export async function startDevstack(opts: DevstackOptions & { vault?: { kind: "stand-in" } }): Promise<Devstack>;
export async function startDevstack(opts: DevstackOptions): Promise<Devstack<VaultStandIn | undefined>>;
export async function startDevstack(opts: DevstackOptions): Promise<Devstack<VaultStandIn | undefined>> {
  const host = opts.host ?? "127.0.0.1";
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLogger();
  const port = (offset: number) => (opts.portBase === 0 ? 0 : (opts.portBase ?? DEFAULT_PORT_BASE) + offset);
  const closers: Array<() => Promise<void>> = [];
  try {
    const vault = await startDevVault(opts.vault ?? { kind: "stand-in" }, {
      host,
      port: port(0),
      dir: opts.dir,
      clock,
      log,
    });
    closers.push(() => vault.close());
    // service-account tokens minted here carry the audience the development Vault config requires, like a projected
    // token with `audience: vault` in a pod
    // HTTPS, as kube-apiserver: Vault's kubernetes auth needs the API server's CA (kubernetes_ca_cert) outside a pod
    const tokenReview = await startTokenReviewStandIn({
      host,
      port: port(1),
      clock,
      defaultAudiences: [DEV_TOKEN_AUDIENCE],
      tls: true,
    });
    closers.push(() => tokenReview.close());
    const sessions = createSessionStore({ clock });
    const rolesAnywhere = await startRolesAnywhereStandIn({
      sessions,
      host,
      port: port(2),
      clock,
      log,
      tps: opts.tps,
      minDurationSeconds: opts.minSessionSeconds,
    });
    closers.push(() => rolesAnywhere.close());
    // a second role for role chaining (init --assume-role-arn), which STS lets assume only with this external ID
    const chainRoleArn = `arn:aws:iam::${sessions.accountId}:role/iamra-devstack-chained`;
    const sts = await startStsStandIn({
      sessions,
      host,
      port: port(3),
      clock,
      log,
      roles: { [chainRoleArn]: { externalId: CHAIN_EXTERNAL_ID } },
    });
    closers.push(() => sts.close());

    const client = createVaultClient({ addr: vault.url, timeoutMs: 10_000, maxAttempts: 1, clock, log });
    client.useToken(vault.token);
    const k8sApi = {
      tokenReviewUrl: tokenReview.url,
      caCertPem: tokenReview.caCertPem!,
      reviewerJwt: tokenReview.reviewerJwt,
    };
    const setup = await configureDevVault(client, k8sApi, log);
    client.close();
    const demo = setup.bindings.find((b) => b.name === "demo") ?? setup.bindings[0]!;

    // Roles Anywhere: the Vault root CA (as the server reports it) is the trust anchor; each binding's AWS role trusts
    // only its own SPIFFE ID, with the same trust policy that `vault-config export` writes
    const anchor = rolesAnywhere.addTrustAnchor({ name: "devstack-vault-root", caCertificatesPem: setup.rootCaPem });
    const roles = setup.bindings.map((b) =>
      rolesAnywhere.addRole({
        name: (b.awsRoleArn ?? `role/${b.name}`).split("/").pop()!,
        trustPolicy: trustPolicyFor(b, anchor.arn),
      }),
    );
    const role = roles[setup.bindings.indexOf(demo)]!;
    const throwaway = await writeThrowawayIdentity(join(opts.dir, "throwaway"), clock.now());
    const throwawayAnchor = rolesAnywhere.addTrustAnchor({
      name: "devstack-throwaway",
      caCertificatesPem: throwaway.caPem,
    });
    const throwawayRole = rolesAnywhere.addRole({ name: "iamra-devstack-throwaway" });
    const profile = rolesAnywhere.addProfile({
      name: "devstack",
      roleArns: [...roles.map((r) => r.arn), throwawayRole.arn],
      durationSeconds: 43200,
    });
    const [namespace, serviceAccount] = demoServiceAccount(demo.spiffeId);
    if (setup.audience !== DEV_TOKEN_AUDIENCE)
      throw new Error(
        `the development Vault config expects audience ${setup.audience}, tokens carry ${DEV_TOKEN_AUDIENCE}`,
      );

    let info!: DevstackInfo;
    const admin = await startAdminServer({
      host,
      port: port(4),
      info: () => info,
      mintToken: (o) => tokenReview.mintToken(o),
    });
    closers.push(() => admin.close());
    info = {
      note:
        vault.kind === "stand-in"
          ? "loopback test doubles of Vault, Kubernetes TokenReview, IAM Roles Anywhere and STS - not the real services"
          : `Vault is a real server (${vault.description}); Kubernetes TokenReview, IAM Roles Anywhere and STS are ` +
            "loopback test doubles - not the real services",
      region: rolesAnywhere.region,
      vault: {
        addr: vault.url,
        server: vault.description,
        // the token of an existing server came from the environment and is not repeated in the banner or state file
        ...(vault.kind === "external" ? {} : { rootToken: vault.token }),
        ...(vault.pid === undefined ? {} : { pid: vault.pid }),
        pkiMount: demo.pkiMount,
        pkiRole: demo.pkiRole,
        kubernetesAuthMount: demo.authMount,
        kubernetesAuthAccessor: setup.kubernetesAuthAccessor,
        vaultRole: demo.vaultRole,
        trustDomain: setup.trustDomain,
      },
      bindings: setup.bindings.map((b, i) => {
        const [ns, sa] = demoServiceAccount(b.spiffeId);
        return {
          name: b.name,
          namespace: ns,
          serviceAccount: sa,
          vaultRole: b.vaultRole,
          pkiRole: b.pkiRole,
          spiffeId: b.spiffeId,
          roleArn: roles[i]!.arn,
        };
      }),
      kubernetes: { tokenReviewUrl: tokenReview.url, namespace, serviceAccount, audience: setup.audience },
      rolesAnywhere: {
        endpoint: rolesAnywhere.url,
        trustAnchorArn: anchor.arn,
        profileArn: profile.arn,
        roleArn: role.arn,
      },
      sts: { endpoint: sts.url, chainRoleArn, chainExternalId: CHAIN_EXTERNAL_ID },
      admin: { url: admin.url },
      throwaway: {
        dir: throwaway.dir,
        caCertificate: throwaway.caCertificate,
        certificate: throwaway.certificate,
        privateKey: throwaway.privateKey,
        trustAnchorArn: throwawayAnchor.arn,
        profileArn: profile.arn,
        roleArn: throwawayRole.arn,
      },
    };
    return {
      vault: vault.standIn,
      vaultServer: vault,
      tokenReview,
      rolesAnywhere,
      sts,
      sessions,
      info,
      close: async () => {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (err) {
    // already failing: report the first error
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw err;
  }
}

/** [namespace, service account] from spiffe://<trust-domain>/ns/<namespace>/sa/<service account>. */
function demoServiceAccount(spiffeId: string): [string, string] {
  const m = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(spiffeId);
  if (!m) throw new Error(`unexpected SPIFFE ID ${spiffeId} in the development Vault config`);
  return [m[1]!, m[2]!];
}
