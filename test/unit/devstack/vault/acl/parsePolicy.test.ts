import { expect } from "chai";
import { parsePolicy } from "../../../../../devstack/vault/acl/parsePolicy.js";
import { resolveCapabilities } from "../../../../../devstack/vault/acl/resolveCapabilities.js";
import type { StoredPolicy } from "../../../../../devstack/vault/acl/PolicyStore.js";
import { bindingPolicy } from "../../../../../lib/vaultconfig/bindingResources.js";
import type { Binding } from "../../../../../lib/vaultconfig/VaultConfig.js";

const binding: Binding = {
  name: "app",
  serviceAccounts: [],
  certificate: { role: "app", keyType: "ec", keyBits: 256, ttlSec: 3600, maxTtlSec: 7200, allowIssue: true },
  vault: { role: "app", policy: "iamra-app", tokenTtlSec: 600, tokenMaxTtlSec: 1200 },
};

function stored(raw: string): StoredPolicy {
  return { name: "p", raw, rules: parsePolicy(raw), version: 1, modifiedMs: 0 };
}

describe("parsePolicy", () => {
  it("reads every stanza of the policy vault-config writes, comment included", () => {
    expect(parsePolicy(bindingPolicy("pki", binding))).to.deep.equal([
      { path: "pki/sign/app", capabilities: ["update"] },
      { path: "pki/issue/app", capabilities: ["update"] },
      { path: "auth/token/lookup-self", capabilities: ["read"] },
      { path: "auth/token/renew-self", capabilities: ["update"] },
      { path: "auth/token/revoke-self", capabilities: ["update"] },
    ]);
  });

  it("refuses unknown capabilities and HCL it does not support, saying where", () => {
    expect(() => parsePolicy('path "a" { capabilities = ["fly"] }')).to.throw('path "a": invalid capability "fly"');
    expect(() => parsePolicy('path "a" { capabilities = ["read"] }\npath "b" { policy = "write" }')).to.throw(
      'unsupported policy syntax at "path "b" { policy = "write" }"',
    );
    expect(() => parsePolicy('path "a" { capabilities = [read] }')).to.throw("invalid capability read");
  });
});

describe("resolveCapabilities", () => {
  const policy = stored(`
    path "pki/*" { capabilities = ["read"] }
    path "pki/roles/*" { capabilities = ["list"] }
    path "pki/roles/x" { capabilities = ["update"] }
    path "pki/roles/x" { capabilities = ["create"] }
    path "pki/roles/secret*" { capabilities = ["deny"] }
  `);
  const caps = (path: string) => [...resolveCapabilities([policy], path)].sort();

  it("prefers an exact rule (merged across stanzas), then the longest glob, and lets deny win", () => {
    expect(caps("pki/roles/x")).to.deep.equal(["create", "update"]);
    expect(caps("pki/roles/y")).to.deep.equal(["list"]);
    expect(caps("pki/ca")).to.deep.equal(["read"]);
    expect(caps("pki/roles/secret-2")).to.deep.equal([]);
    expect(caps("sys/mounts")).to.deep.equal([]);
  });
});
