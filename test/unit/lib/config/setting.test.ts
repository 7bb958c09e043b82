import { expect } from "chai";
import { resolveSettings } from "../../../../lib/config/resolveSettings.js";
import { omitSettings, optionalSetting, pickSettings, setting, type ValuesOf } from "../../../../lib/config/setting.js";
import { intParser, parseNonEmpty } from "../../../../lib/config/parsers.js";
import { refresherCommand } from "../../../../refresher/refresherCommand.js";
import { initCommand } from "../../../../init/initCommand.js";

const role = setting({ key: "role", flag: "--role <r>", description: "r", parse: parseNonEmpty, required: true });
const attempts = setting({
  key: "attempts",
  flag: "--attempts <n>",
  default: 3,
  description: "n",
  parse: intParser(1, 9),
});
const label = setting({ key: "label", flag: "--label <l>", description: "l", parse: parseNonEmpty });
const list = [role, attempts, label];

// Type-level contract, checked by tsc: a wrong key or a missing required value does not compile.
type Values = ValuesOf<typeof list>;
const typed: Values = { role: "app", attempts: 2 };
const roleIsString: string = typed.role;
const attemptsIsNumber: number = typed.attempts;
// @ts-expect-error an optional setting's value may be undefined
const labelIsString: string = typed.label;
// @ts-expect-error a key that no setting declares does not exist
void typed.rol;
// @ts-expect-error a required setting cannot be left out
const missing: Values = { attempts: 2 };
void [roleIsString, attemptsIsNumber, labelIsString, missing];

describe("setting", () => {
  it("marks required and defaulted settings as always present, others not", () => {
    expect([role.always, attempts.always, label.always]).to.deep.equal([true, true, false]);
  });
});

describe("resolveSettings (typed)", () => {
  it("yields exactly the declared keys that have a value, parsed", () => {
    const v: Values = resolveSettings(list, { flags: { role: "app" }, env: {} });
    expect(v).to.deep.equal({ role: "app", attempts: 3 });
    expect(resolveSettings(list, { flags: { role: "app", attempts: "5", label: "x" }, env: {} })).to.deep.equal({
      role: "app",
      attempts: 5,
      label: "x",
    });
  });

  it("gives every required or defaulted setting of init a value (the run function's non-optional keys)", () => {
    const env = {
      VAULT_ADDR: "http://127.0.0.1:1",
      IAMRA_TRUST_ANCHOR_ARN: "a",
      IAMRA_PROFILE_ARN: "p",
      IAMRA_ROLE_ARN: "r",
    };
    const v = resolveSettings(initCommand.settings, { flags: {}, env });
    const always = initCommand.settings.filter((s) => s.always).map((s) => s.key);
    expect(always).to.include.members(["vaultAddr", "trustAnchorArn", "outputDir", "sessionDurationSeconds"]);
    for (const key of always) expect(v, key).to.have.property(key).that.is.not.undefined;
  });
});

describe("pickSettings, omitSettings, optionalSetting", () => {
  it("keep the list order and the chosen keys, and make a required setting optional", () => {
    expect(pickSettings(list, ["label", "role"]).map((s) => s.key)).to.deep.equal(["role", "label"]);
    expect(omitSettings(list, ["attempts"]).map((s) => s.key)).to.deep.equal(["role", "label"]);
    const opt = optionalSetting(role);
    expect([opt.required, opt.always]).to.deep.equal([false, false]);
    expect(() => optionalSetting(attempts)).to.throw(/has a default/);
  });

  it("leave the refresher's --vault-addr optional and --verify out", () => {
    const keys = refresherCommand.settings.map((s) => s.key);
    expect(keys).to.include("vaultAddr").and.not.include("verify");
    expect(refresherCommand.settings.find((s) => s.key === "vaultAddr")?.required).to.equal(false);
  });
});
