import { expect } from "chai";
import { devVaultChoiceFrom, devVaultSettings } from "../../../devstack/devVaultSettings.js";
import { resolveSettings } from "../../../lib/config/resolveSettings.js";
import { expectIamraError } from "../../support/expectIamraError.js";

/** The choice for these flags and environment, resolved as the CLI does. */
function choose(flags: Record<string, string>, env: Record<string, string> = {}) {
  return devVaultChoiceFrom(resolveSettings(devVaultSettings, { flags, env }), env);
}

describe("devVaultChoiceFrom", () => {
  it("chooses the stand-in by default", () => {
    expect(choose({})).to.deep.equal({ kind: "stand-in" });
  });

  it("chooses OpenBao from --vault or IAMRA_DEVSTACK_VAULT, with the binary given by --bao-path", () => {
    expect(choose({ vault: "openbao", baoPath: "/bin/sh" })).to.deep.equal({ kind: "openbao", baoPath: "/bin/sh" });
    expect(choose({ baoPath: "/bin/sh" }, { IAMRA_DEVSTACK_VAULT: "openbao" })).to.deep.equal({
      kind: "openbao",
      baoPath: "/bin/sh",
    });
  });

  it("uses a running server with the token from $VAULT_TOKEN (trimmed, trailing slash dropped)", () => {
    expect(choose({ vaultAddr: "http://127.0.0.1:8200/" }, { VAULT_TOKEN: " tok \n" })).to.deep.equal({
      kind: "external",
      addr: "http://127.0.0.1:8200",
      token: "tok",
    });
  });

  const refusals: Array<{ when: string; flags: Record<string, string>; env?: Record<string, string>; code: string }> = [
    {
      when: "--vault-addr has no $VAULT_TOKEN",
      flags: { vaultAddr: "http://127.0.0.1:8200" },
      code: "DEVSTACK_VAULT_TOKEN_MISSING",
    },
    {
      when: "$VAULT_TOKEN is blank",
      flags: { vaultAddr: "http://127.0.0.1:8200" },
      env: { VAULT_TOKEN: " " },
      code: "DEVSTACK_VAULT_TOKEN_MISSING",
    },
    {
      when: "--vault-addr comes with --vault openbao",
      flags: { vaultAddr: "http://127.0.0.1:8200", vault: "openbao" },
      env: { VAULT_TOKEN: "t" },
      code: "DEVSTACK_VAULT_CONFLICT",
    },
    {
      when: "--bao-path comes without --vault openbao",
      flags: { baoPath: "/bin/sh" },
      code: "DEVSTACK_VAULT_CONFLICT",
    },
  ];
  for (const r of refusals) {
    it(`refuses with ${r.code} when ${r.when}`, async () => {
      await expectIamraError(() => choose(r.flags, r.env), r.code);
    });
  }

  it("refuses an unknown --vault kind at resolution", async () => {
    await expectIamraError(() => choose({ vault: "vault" }), "CONFIG_INVALID");
  });
});
