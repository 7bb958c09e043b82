import { readFileSync } from "node:fs";
import { expect } from "chai";
import { ConfigError } from "../../../../lib/errors.js";
import { parseVaultConfig } from "../../../../lib/vaultconfig/parseVaultConfig.js";

const DEV_CONFIG = readFileSync(new URL("../../../../devstack/vault-config.dev.yaml", import.meta.url), "utf8");

const MINIMAL = `
trustDomain: example.org
pki:
  intermediate:
    signedBy: { type: external }
bindings:
  - name: payments
    serviceAccounts:
      - { namespace: payments, name: app }
`;

function problemsOf(text: string, opts = {}): string[] {
  try {
    parseVaultConfig(text, opts);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as ConfigError).code).to.equal("VAULT_CONFIG_INVALID");
    return (err as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("parseVaultConfig", () => {
  it("reads the bundled development config", () => {
    const c = parseVaultConfig(DEV_CONFIG);
    expect(c.trustDomain).to.equal("cluster.local");
    expect(c.pki.mount).to.equal("pki");
    expect(c.pki.intermediate.signedBy).to.include({ type: "mount", mount: "pki-root" });
    expect(c.bindings.map((b) => [b.name, b.serviceAccounts])).to.deep.equal([
      ["demo", [{ namespace: "demo", name: "app" }]],
      ["other", [{ namespace: "demo", name: "other" }]],
    ]);
    expect(c.bindings[0]!.certificate).to.include({
      role: "demo",
      keyType: "ec",
      keyBits: 256,
      ttlSec: 3600,
      maxTtlSec: 86400,
    });
    expect(c.bindings[0]!.vault).to.include({
      role: "demo",
      policy: "iamra-demo",
      audience: "vault",
      tokenTtlSec: 900,
      tokenMaxTtlSec: 3600,
    });
  });

  it("fills defaults for a minimal config", () => {
    const c = parseVaultConfig(MINIMAL);
    expect(c.kubernetesAuth.mount).to.equal("kubernetes");
    expect(c.kubernetesAuth.config).to.equal(undefined);
    expect(c.pki).to.deep.include({ mount: "pki", maxLeaseTtlSec: 8760 * 3600, urls: undefined });
    expect(c.pki.intermediate).to.deep.include({
      keyType: "ec",
      keyBits: 256,
      ttlSec: 43800 * 3600,
      signedBy: { type: "external" },
    });
    expect(c.bindings[0]!.certificate).to.deep.equal({
      role: "payments",
      keyType: "ec",
      keyBits: 256,
      ttlSec: 3600,
      maxTtlSec: 86400,
      allowIssue: false,
    });
    expect(c.bindings[0]!.vault).to.deep.equal({
      role: "payments",
      policy: "iamra-payments",
      audience: undefined,
      tokenTtlSec: 900,
      tokenMaxTtlSec: 3600,
    });
    expect(c.remove).to.deep.equal({ pkiRoles: [], policies: [], kubernetesRoles: [] });
    expect(c.export).to.deep.equal({
      trustAnchorName: "iamra-vault",
      profileName: "iamra-vault",
      profileDurationSeconds: 3600,
    });
  });

  it("reports every problem at once, each with its path", () => {
    const problems = problemsOf(`
trustDomain: Bad Domain
colour: blue
pki:
  mount: /pki/
  intermediate:
    keyType: dsa
    signedBy: { type: mount, mount: pki }
bindings:
  - name: ok
    serviceAccounts:
      - { namespace: demo, name: app }
  - name: Second
    serviceAccounts:
      - { name: app }
      - { namespace: demo, name: "*" }
    awsRoleArn: not-an-arn
    certificate: { ttl: 2d, maxTtl: 1h, keyType: rsa, keyBits: 1024 }
    vault: { tokenTtl: soon }
`);
    const expected = [
      'trustDomain: "Bad Domain" is not valid',
      "colour: unknown key",
      'pki.mount: "/pki/" is not valid',
      "pki.intermediate.keyType: must be one of ec, rsa",
      "bindings[1].name:",
      "bindings[1].serviceAccounts[0].namespace: required",
      'bindings[1].serviceAccounts[1].name: "*" is not valid',
      'bindings[1].awsRoleArn: "not-an-arn" is not valid',
      "bindings[1].certificate.keyBits: must be one of 2048, 3072, 4096, 8192 for keyType rsa",
      "bindings[1].certificate.ttl: must not exceed maxTtl (3600s)",
      'bindings[1].vault.tokenTtl: "soon" is not a duration',
    ];
    for (const e of expected)
      expect(
        problems.some((p) => p.startsWith(e)),
        `${e}\nin:\n${problems.join("\n")}`,
      ).to.equal(true);
    // signedBy.mount equal to pki.mount is caught too (pki.mount fell back to its default "pki")
    expect(problems.some((p) => p.startsWith("pki.intermediate.signedBy.mount: must differ from pki.mount"))).to.equal(
      true,
    );
  });

  const cases: Array<[string, string, string]> = [
    ["no trustDomain", MINIMAL.replace("trustDomain: example.org", ""), "trustDomain: required"],
    ["no bindings", MINIMAL.replace(/bindings:[\s\S]*/, "bindings: []"), "bindings: must have at least 1 item(s)"],
    [
      "no signedBy",
      MINIMAL.replace("    signedBy: { type: external }", "    commonName: x"),
      "pki.intermediate.signedBy: required",
    ],
    [
      "external with mount fields",
      MINIMAL.replace("{ type: external }", "{ type: external, mount: pki-root }"),
      "pki.intermediate.signedBy.mount: only allowed with type: mount",
    ],
    ["version 2", `version: 2\n${MINIMAL}`, "version: must be a whole number in 1..1"],
    [
      "duplicate binding",
      MINIMAL + "  - name: payments\n    serviceAccounts: [{ namespace: b, name: c }]\n",
      'bindings[1]: name "payments" is already used by bindings[0]',
    ],
    [
      "removing a declared role",
      MINIMAL + "remove:\n  pkiRoles: [payments]\n",
      'remove.pkiRoles[0]: "payments" is declared',
    ],
    [
      "removing the default policy",
      MINIMAL + "remove:\n  policies: [default]\n",
      'remove.policies[0]: "default" is declared',
    ],
    [
      "maxTtl above the mount",
      MINIMAL.replace("  - name: payments", "  - name: payments\n    certificate: { maxTtl: 9000h }"),
      "bindings[0].certificate.maxTtl: must not exceed pki.maxLeaseTtl",
    ],
    [
      "disableLocalCaJwt without a CA certificate",
      MINIMAL + "kubernetesAuth:\n  config: { host: https://k8s.example:6443, disableLocalCaJwt: true }\n",
      "kubernetesAuth.config: disableLocalCaJwt: true needs caCert or caCertFile",
    ],
    [
      "kubernetes config without host",
      MINIMAL + "kubernetesAuth:\n  config: { issuer: x }\n",
      "kubernetesAuth.config.host: required",
    ],
    [
      "bad URL",
      MINIMAL.replace("pki:\n", "pki:\n  urls: { issuingCertificates: [ftp://x] }\n"),
      'pki.urls.issuingCertificates[0]: "ftp://x" is not valid',
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(`rejects ${name}`, () => {
      const problems = problemsOf(text);
      expect(
        problems.some((p) => p.startsWith(expected)),
        problems.join("\n"),
      ).to.equal(true);
    });
  }

  it("reports YAML syntax errors with line numbers", () => {
    const problems = problemsOf("trustDomain: a\ntrustDomain: b\nbindings: [\n");
    expect(problems[0]).to.match(/^line 2, column 1: Map keys must be unique/);
    expect(problems.length).to.be.greaterThan(1);
  });

  it("reads referenced files through the injected reader and reports unreadable ones at their path", () => {
    const text =
      MINIMAL +
      "kubernetesAuth:\n  config:\n    host: https://k8s.example:6443\n    caCertFile: ca.pem\n    tokenReviewerJwtFile: missing.jwt\n";
    const read = (p: string) => {
      if (p === "ca.pem") return "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
      throw Object.assign(new Error("nope"), { code: "ENOENT" });
    };
    expect(problemsOf(text, { readFile: read })).to.deep.equal([
      "kubernetesAuth.config.tokenReviewerJwtFile: cannot read missing.jwt: ENOENT",
    ]);
    const ok = parseVaultConfig(text.replace("missing.jwt", "ca.pem"), { readFile: read });
    expect(ok.kubernetesAuth.config?.caCert).to.equal("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
  });
});
