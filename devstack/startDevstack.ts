import { join } from "node:path";
import type { Logger } from "pino";
import { silentLogger } from "../lib/log.js";
import { systemClock, type Clock } from "../lib/time/clock.js";
import { createVaultClient } from "../lib/vault/createVaultClient.js";
import { createSessionStore, type SessionStore } from "./aws/sessionStore.js";
import { startRolesAnywhereStandIn, type RolesAnywhereStandIn } from "./rolesanywhere/startRolesAnywhereStandIn.js";
import { startStsStandIn, type StsStandIn } from "./sts/startStsStandIn.js";
import { startVaultStandIn, type VaultStandIn } from "./vault/startVaultStandIn.js";
import { startTokenReviewStandIn, type TokenReviewStandIn } from "./kubernetes/startTokenReviewStandIn.js";
import { configureDevVault } from "./configureDevVault.js";
import { writeThrowawayIdentity } from "./writeThrowawayIdentity.js";
import { startAdminServer } from "./startAdminServer.js";
import type { DevstackInfo } from "./devstackInfo.js";

/** Default first port: Vault on it, then TokenReview, Roles Anywhere, STS and the admin endpoint on the next four. */
export const DEFAULT_PORT_BASE = 18200;

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
}

/** A running devstack: every stand-in, the shared session store and the info to print. */
export interface Devstack {
  vault: VaultStandIn;
  tokenReview: TokenReviewStandIn;
  rolesAnywhere: RolesAnywhereStandIn;
  sts: StsStandIn;
  sessions: SessionStore;
  info: DevstackInfo;
  close(): Promise<void>;
}

/** Starts the loopback stand-ins (test doubles) and configures them so that a pod-like init flow works end to end. */
export async function startDevstack(opts: DevstackOptions): Promise<Devstack> {
  const host = opts.host ?? "127.0.0.1";
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? silentLogger();
  const port = (offset: number) => (opts.portBase === 0 ? 0 : (opts.portBase ?? DEFAULT_PORT_BASE) + offset);
  const closers: Array<() => Promise<void>> = [];
  try {
    const vault = await startVaultStandIn({ host, port: port(0), clock, log });
    closers.push(() => vault.close());
    const tokenReview = await startTokenReviewStandIn({ host, port: port(1), clock });
    closers.push(() => tokenReview.close());
    const sessions = createSessionStore({ clock });
    const rolesAnywhere = await startRolesAnywhereStandIn({
      sessions, host, port: port(2), clock, log, tps: opts.tps, minDurationSeconds: opts.minSessionSeconds,
    });
    closers.push(() => rolesAnywhere.close());
    const sts = await startStsStandIn({ sessions, host, port: port(3), clock, log });
    closers.push(() => sts.close());

    const client = createVaultClient({ addr: vault.url, timeoutMs: 10_000, maxAttempts: 1, clock, log });
    client.useToken(vault.rootToken);
    const setup = await configureDevVault(client, { tokenReviewUrl: tokenReview.url, reviewerJwt: tokenReview.reviewerJwt });
    client.close();

    const spiffeId = `spiffe://${setup.trustDomain}/ns/${setup.namespace}/sa/${setup.serviceAccount}`;
    const anchor = rolesAnywhere.addTrustAnchor({ name: "devstack-vault-root", caCertificatesPem: setup.rootCaPem });
    const role = rolesAnywhere.addRole({ name: "iamra-demo-app", trustPolicy: trustPolicyFor(spiffeId, anchor.arn) });
    const throwaway = await writeThrowawayIdentity(join(opts.dir, "throwaway"), clock.now());
    const throwawayAnchor = rolesAnywhere.addTrustAnchor({ name: "devstack-throwaway", caCertificatesPem: throwaway.caPem });
    const throwawayRole = rolesAnywhere.addRole({ name: "iamra-devstack-throwaway" });
    const profile = rolesAnywhere.addProfile({ name: "devstack", roleArns: [role.arn, throwawayRole.arn], durationSeconds: 43200 });

    let info!: DevstackInfo;
    const admin = await startAdminServer({ host, port: port(4), info: () => info, mintToken: (o) => tokenReview.mintToken(o) });
    closers.push(() => admin.close());
    info = {
      note: "loopback test doubles of Vault, Kubernetes TokenReview, IAM Roles Anywhere and STS - not the real services",
      region: rolesAnywhere.region,
      vault: {
        addr: vault.url,
        rootToken: vault.rootToken,
        pkiMount: setup.pkiMount,
        pkiRole: setup.pkiRole,
        kubernetesAuthMount: setup.kubernetesAuthMount,
        kubernetesAuthAccessor: setup.kubernetesAuthAccessor,
        vaultRole: setup.vaultRole,
        trustDomain: setup.trustDomain,
      },
      kubernetes: { tokenReviewUrl: tokenReview.url, namespace: setup.namespace, serviceAccount: setup.serviceAccount },
      rolesAnywhere: { endpoint: rolesAnywhere.url, trustAnchorArn: anchor.arn, profileArn: profile.arn, roleArn: role.arn },
      sts: { endpoint: sts.url },
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
      vault, tokenReview, rolesAnywhere, sts, sessions, info,
      close: async () => {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => undefined); // already failing; report the first error
    throw err;
  }
}

/** An IAM trust policy admitting Roles Anywhere sessions whose certificate's first URI SAN is `spiffeId`. */
export function trustPolicyFor(spiffeId: string, trustAnchorArn: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "rolesanywhere.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        Condition: {
          StringEquals: { "aws:PrincipalTag/x509SAN/URI": spiffeId },
          ArnEquals: { "aws:SourceArn": trustAnchorArn },
        },
      },
    ],
  };
}
