import { X509Certificate } from "node:crypto";
import { expect } from "chai";
import { parseVaultConfig } from "../../../../lib/vaultconfig/parseVaultConfig.js";
import { buildExportArtifacts } from "../../../../lib/vaultconfig/buildExportArtifacts.js";
import { makeCertificate as makeTestCertificate } from "../../../../devstack/certificates/makeCertificate.js";

const config = parseVaultConfig(`
trustDomain: example.org
pki:
  intermediate: { signedBy: { type: external } }
bindings:
  - name: payments
    awsRoleArn: arn:aws:iam::111122223333:role/payments
    serviceAccounts: [{ namespace: pay, name: app }]
  - name: batch-jobs
    serviceAccounts: [{ namespace: batch, name: a }, { namespace: batch, name: b }]
export: { trustAnchorName: anchor, profileName: prof, profileDurationSeconds: 900 }
`);
const ANCHOR = "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0e5a4b0c-1111-2222-3333-444455556666";

describe("buildExportArtifacts", () => {
  let rootPem: string;
  before(async () => {
    rootPem = (await makeTestCertificate({ subject: "CN=Root", ca: true })).pem;
  });

  it("writes the root as trust anchor bundle and as the create-trust-anchor request body", () => {
    const files = buildExportArtifacts(config, rootPem);
    expect(Object.keys(files).sort()).to.deep.equal([
      "profile.json",
      "trust-anchor.json",
      "trust-anchor.pem",
      "trust-policy-batch-jobs.json",
      "trust-policy-payments.json",
    ]);
    expect(new X509Certificate(files["trust-anchor.pem"]!).fingerprint256).to.equal(
      new X509Certificate(rootPem).fingerprint256,
    );
    const anchor = JSON.parse(files["trust-anchor.json"]!);
    expect(anchor).to.deep.equal({
      name: "anchor",
      enabled: true,
      source: { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: rootPem.trim() + "\n" } },
    });
    expect(JSON.parse(files["profile.json"]!)).to.deep.equal({
      name: "prof",
      enabled: true,
      durationSeconds: 900,
      roleArns: ["arn:aws:iam::111122223333:role/payments"],
    });
  });

  it("admits exactly the binding's SPIFFE IDs through Roles Anywhere, and the trust anchor when known", () => {
    const without = JSON.parse(buildExportArtifacts(config, rootPem)["trust-policy-payments.json"]!);
    expect(without.Statement).to.deep.equal([
      {
        Sid: "IamraVaultPayments",
        Effect: "Allow",
        Principal: { Service: "rolesanywhere.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        Condition: { StringEquals: { "aws:PrincipalTag/x509SAN/URI": "spiffe://example.org/ns/pay/sa/app" } },
      },
    ]);
    const files = buildExportArtifacts(config, rootPem, { trustAnchorArn: ANCHOR });
    const batch = JSON.parse(files["trust-policy-batch-jobs.json"]!);
    expect(batch.Statement[0].Condition).to.deep.equal({
      StringEquals: {
        "aws:PrincipalTag/x509SAN/URI": ["spiffe://example.org/ns/batch/sa/a", "spiffe://example.org/ns/batch/sa/b"],
      },
      ArnEquals: { "aws:SourceArn": ANCHOR },
    });
  });

  it("optionally writes a CloudFormation template wiring the trust anchor into every role", () => {
    const cfn = JSON.parse(buildExportArtifacts(config, rootPem, { cloudFormation: true })["cloudformation.json"]!);
    expect(Object.keys(cfn.Resources)).to.deep.equal(["TrustAnchor", "RolePayments", "RoleBatchJobs", "Profile"]);
    expect(cfn.Resources.RolePayments.Properties.RoleName).to.equal("payments");
    expect(cfn.Resources.RoleBatchJobs.Properties.RoleName).to.equal(undefined);
    expect(
      cfn.Resources.RolePayments.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals,
    ).to.deep.equal({ "aws:SourceArn": { "Fn::GetAtt": ["TrustAnchor", "TrustAnchorArn"] } });
    expect(cfn.Resources.Profile.Properties.RoleArns).to.deep.equal([
      { "Fn::GetAtt": ["RolePayments", "Arn"] },
      { "Fn::GetAtt": ["RoleBatchJobs", "Arn"] },
    ]);
  });
});
