/** Test helper: the in-process devstack on a manual clock, with the identity sources and sessions of the commands. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { createVaultClient } from "../../lib/vault/createVaultClient.js";
import { createVaultOnceIdentitySource } from "../../lib/identity/vaultOnceIdentitySource.js";
import { createFileIdentitySource } from "../../lib/identity/fileIdentitySource.js";
import { commonNameOf, spiffeIdOf } from "../../lib/identity/serviceAccountNames.js";
import type { IdentitySource } from "../../lib/identity/identitySource.js";
import type { SessionConfig } from "../../lib/pipeline/obtainCredentials.js";
import { silentLogger } from "../../lib/log.js";
import { manualClock, type ManualClock } from "./manualClock.js";

/** A devstack whose stand-ins and callers share one manual clock, starting at the real time. */
export interface DevstackPipeline {
  stack: Devstack;
  clock: ManualClock;
  /** The Vault-once identity (init): kubernetes login as namespace/serviceAccount, a new certificate per get(). */
  vaultOnce(sa?: { namespace: string; name: string }): IdentitySource;
  /** The strict file identity (credential-process) over the devstack's throwaway certificate and key. */
  throwawayFiles(): IdentitySource;
  /** The session for the demo binding's role (Vault-issued certificates), with `extra` merged into the request. */
  vaultSession(extra?: Partial<SessionConfig["request"]>): SessionConfig;
  /** The session for the throwaway role (the throwaway certificate's trust anchor). */
  throwawaySession(extra?: Partial<SessionConfig["request"]>): SessionConfig;
  close(): Promise<void>;
}

/** Starts the devstack on free ports (portBase 0) with a manual clock; close() stops it and removes its files. */
export async function startDevstackPipeline(): Promise<DevstackPipeline> {
  const dir = await mkdtemp(join(tmpdir(), "iamra-pipeline-"));
  const clock = manualClock(Date.now());
  const log = silentLogger();
  const stack = await startDevstack({ portBase: 0, dir, clock, tps: 1000 });
  const info = stack.info;
  const session = (arns: SessionConfig["request"], extra: Partial<SessionConfig["request"]>): SessionConfig => ({
    request: { ...arns, ...extra },
    transport: { timeoutMs: 5000 },
    maxAttempts: 1,
  });
  const closers: IdentitySource[] = [];
  return {
    stack,
    clock,
    vaultOnce(sa = { namespace: "demo", name: "app" }) {
      const vault = createVaultClient({ addr: info.vault.addr, timeoutMs: 5000, maxAttempts: 1, clock, log });
      const jwt = stack.tokenReview.mintToken({ namespace: sa.namespace, serviceAccount: sa.name });
      const source = createVaultOnceIdentitySource({
        vault,
        auth: {
          method: "kubernetes",
          mountPath: info.vault.kubernetesAuthMount,
          role: info.vault.vaultRole,
          readJwt: async () => jwt,
        },
        certificate: {
          mount: info.vault.pkiMount,
          role: info.vault.pkiRole,
          mode: "sign",
          keyKind: "ec-p256",
          commonName: commonNameOf(sa),
          uriSans: [spiffeIdOf(info.vault.trustDomain, sa)],
        },
        clock,
        log,
      });
      closers.push(source);
      return source;
    },
    throwawayFiles() {
      const files = { certificate: info.throwaway.certificate, privateKey: info.throwaway.privateKey };
      return createFileIdentitySource(files, { clock, log }, { strict: true });
    },
    vaultSession(extra = {}) {
      const { trustAnchorArn, profileArn, roleArn, endpoint } = info.rolesAnywhere;
      return session({ trustAnchorArn, profileArn, roleArn, endpoint, durationSeconds: 900 }, extra);
    },
    throwawaySession(extra = {}) {
      const { trustAnchorArn, profileArn, roleArn } = info.throwaway;
      const endpoint = info.rolesAnywhere.endpoint;
      return session({ trustAnchorArn, profileArn, roleArn, endpoint, durationSeconds: 900 }, extra);
    },
    async close() {
      for (const source of closers) await source.close();
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
