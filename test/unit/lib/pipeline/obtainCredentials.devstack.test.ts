import { expect } from "chai";
import { obtainCredentials, type ObtainStep, type SessionConfig } from "../../../../lib/pipeline/obtainCredentials.js";
import type { IdentitySource } from "../../../../lib/identity/identitySource.js";
import { CHAIN_EXTERNAL_ID } from "../../../../devstack/startDevstack.js";
import { subjectAltNames } from "../../../../lib/x509/subjectAltNames.js";
import { silentLogger } from "../../../../lib/log.js";
import { startDevstackPipeline, type DevstackPipeline } from "../../../support/devstackPipeline.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("obtainCredentials against the in-process devstack", function () {
  this.timeout(30_000);
  let p: DevstackPipeline;
  before(async () => {
    p = await startDevstackPipeline();
  });
  after(async () => p?.close());

  /** One pass with the steps it went through and the upstream calls it timed. */
  async function pass(identity: IdentitySource, session: SessionConfig) {
    const steps: ObtainStep[] = [];
    const timed: string[] = [];
    const run = obtainCredentials(identity, session, {
      clock: p.clock,
      log: silentLogger(),
      userAgent: "iamra-vault test",
      onStep: (step) => steps.push(step),
      timeUpstream: (upstream, operation, call) => {
        timed.push(`${upstream} ${operation}`);
        return call();
      },
    });
    return { run, steps, timed };
  }

  /** A session that chains to the devstack's guarded role with `externalId`. */
  const chained = (session: SessionConfig, externalId: string): SessionConfig => ({
    ...session,
    assumeRole: {
      roleArn: p.stack.info.sts.chainRoleArn,
      roleSessionName: "chained",
      externalId,
      sts: { region: p.stack.info.region, endpoint: p.stack.info.sts.endpoint, timeoutMs: 5000, maxAttempts: 1 },
    },
  });

  describe("with the Vault-once identity (init)", () => {
    it("logs in, has a certificate issued for the service account and creates a session with it", async () => {
      const { run, steps, timed } = await pass(p.vaultOnce(), p.vaultSession());
      const { credentials, identity } = await run;
      const issued = p.stack.sessions.lookup(credentials.accessKeyId)!;
      expect(issued, "a session of the Roles Anywhere stand-in").to.not.equal(undefined);
      expect(credentials.roleArn).to.equal(p.stack.info.rolesAnywhere.roleArn);
      expect(credentials.expirationMs).to.equal(issued.expiration.getTime());
      expect(issued.tags["x509SAN/URI"]).to.equal("spiffe://cluster.local/ns/demo/sa/app");
      expect(subjectAltNames(identity.certificate).uris).to.deep.equal(["spiffe://cluster.local/ns/demo/sa/app"]);
      expect(steps).to.deep.equal(["identity", "create-session"]);
      expect(timed).to.deep.equal(["rolesanywhere CreateSession"]);
    });

    it("has a new certificate issued on every pass", async () => {
      const source = p.vaultOnce();
      const a = await (await pass(source, p.vaultSession())).run;
      const b = await (await pass(source, p.vaultSession())).run;
      expect(a.identity.certificate.serialNumber).to.not.equal(b.identity.certificate.serialNumber);
      expect(a.credentials.accessKeyId).to.not.equal(b.credentials.accessKeyId);
    });

    it("stops at the identity step when Vault refuses the service account, calling no upstream", async () => {
      const before = p.stack.rolesAnywhere.requests.length;
      const { run, steps, timed } = await pass(p.vaultOnce({ namespace: "other", name: "intruder" }), p.vaultSession());
      const err = await expectIamraError(() => run, "VAULT_LOGIN_DENIED");
      expect(err.retryable).to.equal(false);
      expect(steps).to.deep.equal(["identity"]);
      expect(timed).to.deep.equal([]);
      expect(p.stack.rolesAnywhere.requests.length).to.equal(before);
    });

    it("chains to the guarded role through STS with the external ID, keeping the source identity", async () => {
      const { run, steps, timed } = await pass(p.vaultOnce(), chained(p.vaultSession(), CHAIN_EXTERNAL_ID));
      const { credentials } = await run;
      const assumed = p.stack.sessions.lookup(credentials.accessKeyId)!;
      expect(credentials.roleArn).to.equal(p.stack.info.sts.chainRoleArn);
      expect(assumed.roleArn).to.equal(p.stack.info.sts.chainRoleArn);
      expect(credentials.assumedRoleArn).to.equal(assumed.assumedRoleArn);
      expect(assumed.sourceIdentity, "set by Roles Anywhere, kept through chaining").to.be.a("string");
      expect(steps).to.deep.equal(["identity", "create-session", "assume-role"]);
      expect(timed).to.deep.equal(["rolesanywhere CreateSession", "sts AssumeRole"]);
    });

    it("fails at the assume-role step when the external ID is wrong", async () => {
      const { run, steps } = await pass(p.vaultOnce(), chained(p.vaultSession(), "wrong"));
      const err = await expectIamraError(() => run, "STS_ASSUME_ROLE_FAILED");
      expect([err.status, err.step]).to.deep.equal([403, "assume-role"]);
      expect(steps.at(-1)).to.equal("assume-role");
    });
  });

  describe("with the file identity (credential-process)", () => {
    it("signs with the certificate and key files and gets the throwaway role's session", async () => {
      const { run, steps } = await pass(p.throwawayFiles(), p.throwawaySession());
      const { credentials, identity } = await run;
      const issued = p.stack.sessions.lookup(credentials.accessKeyId)!;
      expect(issued.roleArn).to.equal(p.stack.info.throwaway.roleArn);
      expect(credentials.roleArn).to.equal(p.stack.info.throwaway.roleArn);
      const cn = /^CN=(.*)$/m.exec(identity.certificate.subject)?.[1];
      expect(cn).to.be.a("string");
      expect(issued.tags["x509Subject/CN"], "the session is for the files' certificate").to.equal(cn);
      expect(steps).to.deep.equal(["identity", "create-session"]);
    });

    it("is refused (RA_ACCESS_DENIED) when the files' certificate does not chain to the trust anchor", async () => {
      const wrongAnchor = { trustAnchorArn: p.stack.info.rolesAnywhere.trustAnchorArn };
      const { run, steps } = await pass(p.throwawayFiles(), p.throwawaySession(wrongAnchor));
      const err = await expectIamraError(() => run, "RA_ACCESS_DENIED");
      expect([err.status, err.retryable, err.step]).to.deep.equal([403, false, "create-session"]);
      expect(steps).to.deep.equal(["identity", "create-session"]);
    });

    it("is refused (RA_ACCESS_DENIED) for a role the Vault-issued certificates are for, not this one", async () => {
      const otherRole = { roleArn: p.stack.info.rolesAnywhere.roleArn };
      const { run } = await pass(p.throwawayFiles(), p.throwawaySession(otherRole));
      await expectIamraError(() => run, "RA_ACCESS_DENIED");
    });
  });
});
