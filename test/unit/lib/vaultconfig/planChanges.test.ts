import { expect } from "chai";
import { planChanges, sameValue } from "../../../../lib/vaultconfig/planChanges.js";
import { renderPlan } from "../../../../lib/vaultconfig/renderPlan.js";
import type { CurrentState, DesiredState } from "../../../../lib/vaultconfig/VaultResource.js";

const desired: DesiredState = {
  resources: [
    { kind: "secrets-mount", path: "sys/mounts/pki", phase: "mounts", fields: { type: "pki", max_lease_ttl: 3600 } },
    {
      kind: "kubernetes-role",
      path: "auth/kubernetes/role/demo",
      phase: "objects",
      fields: {
        bound_service_account_names: ["app"],
        bound_service_account_namespaces: ["demo"],
        token_ttl: 900,
        audience: "",
      },
    },
    { kind: "pki-intermediate-ca", path: "pki/cert/ca", phase: "objects", fields: {}, note: "generate it" },
  ],
  removals: [
    { kind: "pki-role", path: "pki/roles/old" },
    { kind: "pki-role", path: "pki/roles/gone" },
  ],
};

function state(entries: Record<string, Record<string, unknown> | null>): CurrentState {
  return { objects: new Map(Object.entries(entries)) };
}

describe("planChanges", () => {
  it("creates everything absent, in desired order, and deletes nothing that is absent", () => {
    const plan = planChanges(desired, state({}));
    expect(plan.changes.map((c) => `${c.action} ${c.path}`)).to.deep.equal([
      "create sys/mounts/pki",
      "create auth/kubernetes/role/demo",
      "create pki/cert/ca",
    ]);
    expect(plan.changes[0]!.diffs).to.deep.equal([
      { field: "type", to: "pki" },
      { field: "max_lease_ttl", to: 3600 },
    ]);
  });

  it("is empty when Vault matches, with lists as sets, numbers as strings and absent strings as empty", () => {
    const plan = planChanges(
      desired,
      state({
        "sys/mounts/pki": { type: "pki", max_lease_ttl: "3600" },
        "auth/kubernetes/role/demo": {
          bound_service_account_names: "app",
          bound_service_account_namespaces: ["demo"],
          token_ttl: 900,
        },
        "pki/cert/ca": { certificate: "PEM" },
      }),
    );
    expect(plan.changes).to.deep.equal([]);
    expect(renderPlan(plan, "http://vault")).to.equal("Vault at http://vault matches the config. No changes.\n");
  });

  it("reports drift field by field, and deletes listed removals that exist", () => {
    const plan = planChanges(
      desired,
      state({
        "sys/mounts/pki": { type: "pki", max_lease_ttl: 7200 },
        "auth/kubernetes/role/demo": {
          bound_service_account_names: ["app", "other"],
          bound_service_account_namespaces: ["*"],
          token_ttl: 900,
          audience: "",
        },
        "pki/cert/ca": { certificate: "PEM" },
        "pki/roles/old": { ttl: 1 },
      }),
    );
    expect(plan.changes.map((c) => [c.action, c.path, c.diffs])).to.deep.equal([
      ["update", "sys/mounts/pki", [{ field: "max_lease_ttl", from: 7200, to: 3600 }]],
      [
        "update",
        "auth/kubernetes/role/demo",
        [
          { field: "bound_service_account_names", from: ["app", "other"], to: ["app"] },
          { field: "bound_service_account_namespaces", from: ["*"], to: ["demo"] },
        ],
      ],
      ["delete", "pki/roles/old", []],
    ]);
    const text = renderPlan(plan, "http://vault");
    expect(text).to.contain(
      '  ~ update kubernetes auth role auth/kubernetes/role/demo\n      bound_service_account_names: ["app","other"] → ["app"]',
    );
    expect(text).to.contain("  - delete PKI role pki/roles/old");
    expect(text).to.match(/Plan: 2 to update, 1 to delete\.\n$/);
  });

  it("marks a mount of another type as a conflict instead of an update", () => {
    const plan = planChanges(desired, state({ "sys/mounts/pki": { type: "kv", max_lease_ttl: 0 } }));
    expect(plan.changes[0]).to.deep.include({
      action: "conflict",
      path: "sys/mounts/pki",
      diffs: [{ field: "type", from: "kv", to: "pki" }],
    });
    expect(renderPlan(plan, "x")).to.contain("1 to resolve by hand");
  });
});

describe("sameValue", () => {
  const cases: Array<[unknown, unknown, boolean]> = [
    [["a", "b"], "b,a", true],
    [["a"], null, false],
    [[], null, true],
    [[], "", true],
    [3600, "3600", true],
    [3600, 3601, false],
    [0, undefined, true],
    [true, "true", true],
    [false, true, false],
    ["", undefined, true],
    ["x", undefined, false],
    ["policy\n", "policy", true],
  ];
  for (const [d, a, same] of cases) {
    it(`${JSON.stringify(d)} vs ${JSON.stringify(a)} → ${same}`, () => expect(sameValue(d as never, a)).to.equal(same));
  }
});
