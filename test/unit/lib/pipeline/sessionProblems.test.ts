import { expect } from "chai";
import { sessionProblems } from "../../../../lib/pipeline/sessionProblems.js";
import { vaultPipelineProblems } from "../../../../lib/pipeline/vaultPipelineProblems.js";
import type { SessionSettings } from "../../../../lib/pipeline/sessionFromSettings.js";

const session: SessionSettings = {
  trustAnchorArn: "arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/1111",
  profileArn: "arn:aws:rolesanywhere:us-east-1:000000000000:profile/2222",
  roleArn: "arn:aws:iam::000000000000:role/app",
  sessionDurationSeconds: 3600,
  verifySsl: true,
  timeoutMs: 10_000,
  maxAttempts: 3,
};

describe("sessionProblems", () => {
  it("finds nothing wrong with well-formed ARNs in one region", () => {
    expect(sessionProblems(session)).to.deep.equal([]);
  });

  it("reports mismatched ARN regions as ARN_INVALID", () => {
    const profileArn = session.profileArn.replace("us-east-1", "eu-west-1");
    const problems = sessionProblems({ ...session, profileArn });
    expect(problems).to.have.length(1);
    expect(problems[0]!.code).to.equal("ARN_INVALID");
    expect(problems[0]!.message).to.contain("differ");
  });

  it("reports every problem at once: --external-id alone, a bad --assume-role-arn, FIPS where there is none", () => {
    const problems = sessionProblems({
      ...session,
      trustAnchorArn: session.trustAnchorArn.replace("us-east-1", "eu-west-1"),
      profileArn: session.profileArn.replace("us-east-1", "eu-west-1"),
      externalId: "x",
      useFipsEndpoint: true,
    });
    expect(problems.map((p) => p.code ?? "CONFIG_INVALID")).to.deep.equal([
      "CONFIG_INVALID",
      "FIPS_ENDPOINT_UNAVAILABLE",
    ]);
    expect(problems[0]!.message).to.contain("--external-id needs --assume-role-arn");
    const chained = sessionProblems({ ...session, assumeRoleArn: "role/app" });
    expect(chained.map((p) => p.code)).to.deep.equal(["ARN_INVALID"]);
  });
});

describe("vaultPipelineProblems", () => {
  const base = { vaultAuthMethod: "kubernetes" as const };
  it("needs a Vault role with kubernetes auth", () => {
    expect(vaultPipelineProblems(base, undefined).map((p) => p.message)).to.deep.equal([
      "--vault-role (or $VAULT_ROLE) is required with kubernetes auth",
    ]);
    expect(vaultPipelineProblems({ ...base, vaultRole: "app" }, undefined)).to.deep.equal([]);
  });

  it("lists every missing piece of token auth at once", () => {
    const problems = vaultPipelineProblems({ vaultAuthMethod: "token" }, undefined).map((p) => p.message);
    expect(problems).to.have.length(3);
    expect(problems[0]).to.contain("$VAULT_TOKEN or --vault-token-file");
    expect(problems[1]).to.contain("cannot derive the certificate's CN and URI SAN");
    expect(problems[2]).to.contain("--pki-role is required");
    const complete = { vaultAuthMethod: "token" as const, commonName: "a", uriSan: "spiffe://x/a", pkiRole: "r" };
    expect(vaultPipelineProblems(complete, "s.token")).to.deep.equal([]);
  });
});
