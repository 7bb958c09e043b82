import { expect } from "chai";
import { x509 } from "../../../../devstack/certificates/x509Library.js";
import { createVaultIdentitySource } from "../../../../lib/identity/vaultIdentitySource.js";
import type { VaultAuth, VaultClient } from "../../../../lib/vault/VaultClient.js";
import { silentLogger } from "../../../../lib/log.js";
import { IamraError } from "../../../../lib/errors.js";
import { readRequired, SA_TOKEN_FILE } from "../../../../lib/pipeline/sessionFromSettings.js";
import { makeCertificate, type GeneratedCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import { manualClock } from "../../../support/manualClock.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

const START = Date.UTC(2030, 0, 1);

/** A Vault client that logs in with a 60 s renewable token, signs CSRs for a day, and records the calls made. */
function fakeVault(
  ca: GeneratedCertificate,
  clock: { now(): number },
  opts: { renewFails?: boolean; signDenied?: number; signInvalid?: number } = {},
) {
  let denials = opts.signDenied ?? 0;
  let invalid = opts.signInvalid ?? 0;
  const calls: string[] = [];
  const auth = (): VaultAuth => ({
    clientToken: "s.token",
    accessor: "a",
    policies: [],
    leaseDurationSec: 60,
    renewable: true,
    metadata: {},
    obtainedAtMs: clock.now(),
  });
  const vault = {
    loginKubernetes: async () => (calls.push("login"), auth()),
    revokeSelf: async () => void calls.push("revoke-self"),
    renewSelf: async () => {
      calls.push("renew-self");
      if (opts.renewFails) throw new IamraError({ code: "VAULT_SEALED", message: "sealed", retryable: true });
      return auth();
    },
    pkiSign: async ({ csrPem }: { csrPem: string }) => {
      calls.push("pki-sign");
      if (denials-- > 0) throw new IamraError({ code: "VAULT_PKI_DENIED", message: "permission denied" });
      if (invalid-- > 0) {
        const message = "Vault PKI sign failed (HTTP 403: permission denied; invalid token).";
        throw new IamraError({ code: "VAULT_TOKEN_INVALID", message, retryable: false });
      }
      const csr = new x509.Pkcs10CertificateRequest(csrPem);
      const publicKey = await csr.publicKey.export();
      const leaf = await makeCertificate({
        subject: "CN=app.demo",
        issuer: ca,
        keys: { publicKey, privateKey: undefined as never },
        notBefore: new Date(clock.now() - 1000),
        notAfter: new Date(clock.now() + 24 * 3600_000),
      });
      return {
        certificatePem: leaf.pem,
        issuingCaPem: ca.pem,
        caChainPems: [],
        serialNumber: "01",
        expirationSec: 0,
        warnings: [],
      };
    },
    close: () => undefined,
  };
  return { vault: vault as unknown as VaultClient, calls };
}

describe("createVaultIdentitySource", () => {
  let ca: GeneratedCertificate;
  before(async () => {
    ca = await makeCertificate({ subject: "CN=Test CA", ca: true });
  });

  const source = (vault: VaultClient, clock: ReturnType<typeof manualClock>, newCertificateEveryTime = false) =>
    createVaultIdentitySource({
      vault,
      clock,
      log: silentLogger(),
      newCertificateEveryTime,
      auth: { method: "kubernetes", mountPath: "kubernetes", role: "app", readJwt: async () => "jwt" },
      certificate: {
        mount: "pki",
        role: "app",
        mode: "sign",
        keyKind: "ec-p256",
        commonName: "app.demo",
        uriSans: ["spiffe://cluster.local/ns/demo/sa/app"],
      },
    });

  it("renews the Vault token at 2/3 of its TTL even while the certificate is reused", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock);
    const id = source(vault, clock);
    const first = await id.get();
    clock.advance(45_000); // past 2/3 of the 60 s token TTL; the day-long certificate is still reusable
    const second = await id.get();
    expect(second.certificate.serialNumber, "certificate reused").to.equal(first.certificate.serialNumber);
    expect(calls).to.deep.equal(["login", "pki-sign", "renew-self"]);
  });

  it("keeps using the reusable certificate when the renewal fails (Vault down)", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock, { renewFails: true });
    const id = source(vault, clock);
    const first = await id.get();
    clock.advance(45_000);
    const second = await id.get();
    expect(second.certificate.serialNumber).to.equal(first.certificate.serialNumber);
    expect(calls).to.deep.equal(["login", "pki-sign", "renew-self"]);
  });

  it("revokes the old token before logging in again when renewal fails", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock, { renewFails: true });
    const id = source(vault, clock, true);
    await id.get();
    clock.advance(45_000); // token due for renewal; a new certificate is needed every time
    await id.get();
    expect(calls).to.deep.equal(["login", "pki-sign", "renew-self", "revoke-self", "login", "pki-sign"]);
  });

  it("does not try to revoke a token that has already expired", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock);
    const id = source(vault, clock, true);
    await id.get();
    clock.advance(61_000);
    await id.get();
    expect(calls).to.deep.equal(["login", "pki-sign", "login", "pki-sign"]);
  });

  it("logs in again once when pki/sign is denied (a token the server no longer knows), then signs", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock, { signDenied: 1 });
    const id = source(vault, clock, true);
    await id.get();
    expect(calls).to.deep.equal(["login", "pki-sign", "revoke-self", "login", "pki-sign"]);
  });

  it("throws VAULT_PKI_DENIED after one new login when signing stays denied (the policy)", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock, { signDenied: 99 });
    const id = source(vault, clock, true);
    await expectIamraError(() => id.get(), "VAULT_PKI_DENIED");
    expect(calls).to.deep.equal(["login", "pki-sign", "revoke-self", "login", "pki-sign"]);
  });

  it("reports a token refused even after a new login as retryable, and logs in first on the next get()", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock, { signInvalid: 2 });
    const id = source(vault, clock);
    const err = (await id.get().catch((e: unknown) => e)) as IamraError;
    expect(err.code).to.equal("VAULT_TOKEN_INVALID");
    expect(err.retryable, "a revoked token is fixed by the next login: fast retry, not the slow one").to.equal(true);
    expect(calls).to.deep.equal(["login", "pki-sign", "revoke-self", "login", "pki-sign"]);
    calls.length = 0;
    await id.get();
    expect(calls, "the next get() logs in before signing").to.deep.equal(["login", "pki-sign"]);
  });

  it("reports a missing service-account token file as retryable (kubelet rewrites projected tokens)", async () => {
    const clock = manualClock(START);
    const { vault } = fakeVault(ca, clock);
    const missing = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    const io = { readFile: async (path: string) => Promise.reject(missing(path)) };
    const id = createVaultIdentitySource({
      vault,
      clock,
      log: silentLogger(),
      auth: {
        method: "kubernetes",
        mountPath: "kubernetes",
        role: "app",
        readJwt: () => readRequired(io, "/var/run/token", SA_TOKEN_FILE),
      },
      certificate: {
        mount: "pki",
        role: "app",
        mode: "sign",
        keyKind: "ec-p256",
        commonName: "app.demo",
        uriSans: ["spiffe://cluster.local/ns/demo/sa/app"],
      },
    });
    const err = (await id.get().catch((e: unknown) => e)) as IamraError;
    expect(err.code).to.equal("SA_TOKEN_UNREADABLE");
    expect(err.retryable).to.equal(true);
  });
  it("keeps the valid Vault token when the service-account token cannot be read for a new login", async () => {
    const clock = manualClock(START);
    const { vault, calls } = fakeVault(ca, clock, { renewFails: true });
    let tokenFileThere = true;
    const id = createVaultIdentitySource({
      vault,
      clock,
      log: silentLogger(),
      newCertificateEveryTime: true,
      auth: {
        method: "kubernetes",
        mountPath: "kubernetes",
        role: "app",
        readJwt: async () => {
          if (!tokenFileThere) throw new IamraError({ code: "SA_TOKEN_UNREADABLE", message: "gone", retryable: true });
          return "jwt";
        },
      },
      certificate: {
        mount: "pki",
        role: "app",
        mode: "sign",
        keyKind: "ec-p256",
        commonName: "app.demo",
        uriSans: ["spiffe://cluster.local/ns/demo/sa/app"],
      },
    });
    await id.get();
    clock.advance(45_000); // renewal due and refused: a new login is needed, but the token file is being rewritten
    tokenFileThere = false;
    const err = (await id.get().catch((e: unknown) => e)) as IamraError;
    expect(err.code).to.equal("SA_TOKEN_UNREADABLE");
    expect(calls, "the still-valid token was not revoked").to.deep.equal(["login", "pki-sign", "renew-self"]);
  });
});
