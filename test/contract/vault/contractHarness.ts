/**
 * The contract suite's harness: each suite body runs once per target (stand-in, OpenBao); every target is configured
 * the way the product configures Vault (applyVaultConfig, as `vault-config apply` does) with kubernetes auth reviewing
 * tokens through an HTTPS TokenReview stand-in.
 */
import {
  startTokenReviewStandIn,
  type MintTokenOptions,
  type TokenReviewStandIn,
} from "../../../devstack/kubernetes/startTokenReviewStandIn.js";
import { silentLogger } from "../../../lib/log.js";
import { systemClock } from "../../../lib/time/clock.js";
import { createVaultClient } from "../../../lib/vault/createVaultClient.js";
import type { VaultClient } from "../../../lib/vault/VaultClient.js";
import { applyVaultConfig, type ApplyVaultConfigResult } from "../../../lib/vaultconfig/applyVaultConfig.js";
import { parseVaultConfig } from "../../../lib/vaultconfig/parseVaultConfig.js";
import type { VaultConfig } from "../../../lib/vaultconfig/VaultConfig.js";
import { vaultTargets, type TargetFactory, type VaultTarget } from "./vaultTargets.js";

/** The audience every role of the contract config requires. */
export const AUDIENCE = "vault";

/**
 * The contract config: binding `app` (payments/app, sign and issue, long token TTLs) and binding `short`
 * (payments/short, token TTL 3 s, max 6 s) for real-time token expiry.
 */
export const CONTRACT_CONFIG = `
version: 1
trustDomain: cluster.local
kubernetesAuth:
  mount: kubernetes
  config:
    host: https://kubernetes.invalid
pki:
  mount: pki
  maxLeaseTtl: 8760h
  intermediate:
    commonName: contract intermediate CA
    keyType: ec
    keyBits: 256
    ttl: 8760h
    signedBy:
      type: mount
      mount: pki-root
      commonName: contract root CA
      ttl: 87600h
      maxLeaseTtl: 87600h
bindings:
  - name: app
    serviceAccounts:
      - { namespace: payments, name: app }
    awsRoleArn: arn:aws:iam::123456789012:role/app
    certificate: { keyType: ec, keyBits: 256, ttl: 1h, maxTtl: 2h, allowIssue: true }
    vault: { audience: ${AUDIENCE}, tokenTtl: 10m, tokenMaxTtl: 1h }
  - name: short
    serviceAccounts:
      - { namespace: payments, name: short }
    awsRoleArn: arn:aws:iam::123456789012:role/short
    vault: { audience: ${AUDIENCE}, tokenTtl: 3s, tokenMaxTtl: 6s }
`;

/** One configured target and helpers for its tests. */
export interface ContractContext {
  target: VaultTarget;
  k8s: TokenReviewStandIn;
  config: VaultConfig;
  applied: ApplyVaultConfigResult;
  /** The kubernetes auth mount accessor (auth_kubernetes_…). */
  accessor: string;
  /** The product's client holding the root token. */
  root: VaultClient;
  /** A fresh product client without a token (closed after the suite). */
  client(): VaultClient;
  /** A service-account JWT for <ns>/<sa>, audience `vault` unless given. */
  jwt(namespace: string, serviceAccount: string, extra?: Partial<MintTokenOptions>): string;
  /** A product client logged in through kubernetes auth as <ns>/<sa> with `role` (default: the SA name). */
  login(namespace: string, serviceAccount: string, role?: string): Promise<VaultClient>;
}

/** Starts `factory`'s server and an HTTPS TokenReview stand-in; applies the contract config with the product's code. */
async function setUp(factory: TargetFactory): Promise<{ ctx: ContractContext; close(): Promise<void> }> {
  const k8s = await startTokenReviewStandIn({ tls: true, defaultAudiences: [AUDIENCE] });
  let target: VaultTarget | undefined;
  const clients: VaultClient[] = [];
  const close = async () => {
    for (const c of clients) c.close();
    await target?.stop();
    await k8s.close();
  };
  try {
    target = await factory.start();
    const url = target.url;
    const client = () => {
      const c = createVaultClient({
        addr: url,
        timeoutMs: 10_000,
        maxAttempts: 1,
        clock: systemClock,
        log: silentLogger(),
      });
      clients.push(c);
      return c;
    };
    const root = client();
    root.useToken(target.rootToken);
    const config = parseVaultConfig(CONTRACT_CONFIG, { source: "contract config" });
    config.kubernetesAuth.config = {
      ...config.kubernetesAuth.config!,
      host: k8s.url,
      caCert: k8s.caCertPem,
      tokenReviewerJwt: k8s.reviewerJwt,
    };
    const applied = await applyVaultConfig(root, config);
    const jwt = (namespace: string, serviceAccount: string, extra: Partial<MintTokenOptions> = {}) =>
      k8s.mintToken({ namespace, serviceAccount, audiences: [AUDIENCE], ...extra });
    const ctx: ContractContext = {
      target,
      k8s,
      config,
      applied,
      accessor: applied.kubernetesAuthAccessor,
      root,
      client,
      jwt,
      async login(namespace, serviceAccount, role = serviceAccount) {
        const c = client();
        await c.loginKubernetes({ role, jwt: jwt(namespace, serviceAccount) });
        return c;
      },
    };
    return { ctx, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Declares `title` once per target ("<title> [<target>]"); `body` gets a getter for the configured context.
 * Each target gets its own server and TokenReview stand-in, shared by the tests of that describe block.
 */
export function describeEachTarget(title: string, body: (ctx: () => ContractContext) => void): void {
  for (const factory of vaultTargets) {
    describe(`${title} [${factory.name}]`, function () {
      this.timeout(60_000);
      let state: Awaited<ReturnType<typeof setUp>> | undefined;
      before(async function () {
        this.timeout(120_000);
        state = await setUp(factory);
      });
      after(async () => {
        await state?.close();
      });
      body(() => {
        if (!state) throw new Error(`${factory.name} was not set up`);
        return state.ctx;
      });
    });
  }
}

/** The error `p` rejects with; fails the test when it resolves. */
export async function rejectionOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail, it succeeded");
}

/** Resolves after `ms` of real time. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
