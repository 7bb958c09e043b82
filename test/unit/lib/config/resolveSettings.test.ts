import { expect } from "chai";
import { resolveSettings } from "../../../../lib/config/resolveSettings.js";
import { setting } from "../../../../lib/config/setting.js";
import { intParser, parseNonEmpty } from "../../../../lib/config/parsers.js";
import { exitCodeFor, isConfigError, type ConfigError } from "../../../../lib/errors.js";
import { initCommand } from "../../../../init/initCommand.js";

const settings = [
  setting({
    key: "role",
    flag: "--role <name>",
    env: ["IAMRA_ROLE", "VAULT_ROLE"],
    description: "role",
    parse: parseNonEmpty,
    required: true,
  }),
  setting({
    key: "attempts",
    flag: "--attempts <n>",
    env: ["IAMRA_ATTEMPTS"],
    default: 3,
    description: "attempts",
    parse: intParser(1, 9),
  }),
  setting({
    key: "verify",
    flag: "--verify",
    env: ["IAMRA_VERIFY"],
    boolean: true,
    default: false,
    description: "verify",
    parse: (r) => r === "true",
  }),
];

describe("resolveSettings", () => {
  it("takes flags over the environment over defaults, and accepts alias variables", () => {
    expect(
      resolveSettings(settings, { flags: { role: "flag" }, env: { IAMRA_ROLE: "env", IAMRA_ATTEMPTS: "5" } }),
    ).to.deep.equal({ role: "flag", attempts: 5, verify: false });
    expect(resolveSettings(settings, { flags: {}, env: { VAULT_ROLE: "alias" } })).to.deep.equal({
      role: "alias",
      attempts: 3,
      verify: false,
    });
    expect(resolveSettings(settings, { flags: {}, env: { IAMRA_ROLE: "first", VAULT_ROLE: "second" } }).role).to.equal(
      "first",
    );
    expect(resolveSettings(settings, { flags: { verify: true }, env: { IAMRA_ROLE: "r" } }).verify).to.equal(true);
  });

  it("reports every problem at once, naming where each value came from", () => {
    let err: unknown;
    try {
      resolveSettings(settings, { flags: { attempts: "0" }, env: { IAMRA_VERIFY: "true" } });
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).to.equal(true);
    const problems = (err as ConfigError).problems;
    expect(problems).to.have.length(2);
    expect(problems[0]).to.contain("--role").and.contain("$IAMRA_ROLE").and.contain("required");
    expect(problems[1]).to.equal("--attempts: 0 is outside 1..9");
  });

  it("ignores empty environment variables", () => {
    expect(resolveSettings(settings, { flags: {}, env: { IAMRA_ROLE: "", VAULT_ROLE: "r" } }).role).to.equal("r");
  });

  it("refuses init timeouts longer than a timer can hold (25d) as a configuration error (exit 2)", () => {
    let err: unknown;
    try {
      resolveSettings(initCommand.settings, {
        flags: { timeoutMs: "25d", vaultTimeoutMs: "25d" },
        env: { VAULT_ADDR: "http://127.0.0.1:8200", TRUST_ANCHOR_ARN: "x" },
      });
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err), "a ConfigError").to.equal(true);
    expect(exitCodeFor(err)).to.equal(2);
    const problems = (err as ConfigError).problems.filter((p) => /25d/.test(p));
    expect(problems, "both timeouts named").to.have.length(2);
    expect(problems.join("\n"))
      .to.match(/--timeout/)
      .and.to.match(/--vault-timeout/);
  });
});
