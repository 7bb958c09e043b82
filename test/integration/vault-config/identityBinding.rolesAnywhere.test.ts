import { X509Certificate } from "node:crypto";
import { expect } from "chai";
import { createSessionStore } from "../../../devstack/aws/sessionStore.js";
import {
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from "../../../devstack/rolesanywhere/startRolesAnywhereStandIn.js";
import { IamraError } from "../../../lib/errors.js";
import { silentLogger } from "../../../lib/log.js";
import { createSession } from "../../../lib/rolesanywhere/createSession.js";
import { systemClock } from "../../../lib/time/clock.js";
import { applyVaultConfig } from "../../../lib/vaultconfig/applyVaultConfig.js";
import { buildExportArtifacts } from "../../../lib/vaultconfig/buildExportArtifacts.js";
import { isSelfSigned } from "../../../lib/vaultconfig/caChain.js";
import { signFor, startVaultConfigKit, type VaultConfigKit } from "./vaultConfigKit.js";

describe("identity binding end to end: Vault certificates + exported trust policies (Roles Anywhere stand-in)", () => {
  let kit: VaultConfigKit;
  let ra: RolesAnywhereStandIn;
  let arns: { trustAnchorArn: string; profileArn: string; demoRoleArn: string; otherRoleArn: string };

  before(async () => {
    kit = await startVaultConfigKit();
    const config = kit.config();
    const applied = await applyVaultConfig(kit.root, config);
    ra = await startRolesAnywhereStandIn({
      host: "127.0.0.1",
      port: 0,
      sessions: createSessionStore({ clock: systemClock }),
      tps: 1000,
    });
    const trustAnchorArn = ra.addTrustAnchor({
      name: "devstack",
      caCertificatesPem: buildExportArtifacts(config, applied.rootPem!)["trust-anchor.pem"]!,
    }).arn;
    const files = buildExportArtifacts(config, applied.rootPem!, { trustAnchorArn });
    const demoRoleArn = ra.addRole({ name: "demo", trustPolicy: JSON.parse(files["trust-policy-demo.json"]!) }).arn;
    const otherRoleArn = ra.addRole({ name: "other", trustPolicy: JSON.parse(files["trust-policy-other.json"]!) }).arn;
    const profileArn = ra.addProfile({ name: "apps", roleArns: [demoRoleArn, otherRoleArn] }).arn;
    arns = { trustAnchorArn, profileArn, demoRoleArn, otherRoleArn };
  });
  after(async () => {
    await ra?.close();
    await kit?.close();
  });

  async function sessionFor(ns: string, sa: string, vaultRole: string, roleArn: string) {
    const client = await kit.login(ns, sa, vaultRole);
    const issued = await signFor(client, vaultRole, ns, sa);
    const chain = issued.caChainPems.map((p) => new X509Certificate(p)).filter((c) => !isSelfSigned(c));
    return createSession(
      { key: issued.keyPair.signingKey, certificate: new X509Certificate(issued.certificatePem), chain },
      {
        trustAnchorArn: arns.trustAnchorArn,
        profileArn: arns.profileArn,
        roleArn,
        durationSeconds: 900,
        endpoint: ra.url,
      },
      { clock: systemClock, log: silentLogger(), transport: { timeoutMs: 5000 }, maxAttempts: 1 },
    );
  }

  it("gives service account A credentials for A's role", async () => {
    const creds = await sessionFor("demo", "app", "demo", arns.demoRoleArn);
    expect(creds.accessKeyId).to.match(/^ASIA/);
    expect(creds.roleArn).to.equal(arns.demoRoleArn);
  });

  it("refuses A's role to service account B (its certificate names B), and gives B its own role", async () => {
    const err = await sessionFor("demo", "other", "other", arns.demoRoleArn).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(IamraError);
    expect((err as IamraError).status).to.equal(403);
    expect((err as IamraError).message)
      .to.contain("AccessDeniedException")
      .and.contain("trust policy does not allow");
    const own = await sessionFor("demo", "other", "other", arns.otherRoleArn);
    expect(own.accessKeyId).to.match(/^ASIA/);
  });
});
