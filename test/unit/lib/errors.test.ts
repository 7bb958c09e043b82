import { expect } from "chai";
import { ConfigError, IamraError, exitCodeFor, isConfigError, isIamraError } from "../../../lib/errors.js";

describe("errors", () => {
  const cases: Array<{ name: string; err: unknown; iamra: boolean; config: boolean; exit: 1 | 2 }> = [
    {
      name: "an IamraError",
      err: new IamraError({ code: "VAULT_DENIED", message: "m" }),
      iamra: true,
      config: false,
      exit: 1,
    },
    { name: "a ConfigError", err: new ConfigError({ message: "bad" }), iamra: true, config: true, exit: 2 },
    { name: "a plain Error", err: new Error("boom"), iamra: false, config: false, exit: 1 },
    {
      name: "a look-alike object",
      err: { name: "ConfigError", code: "CONFIG_INVALID" },
      iamra: false,
      config: false,
      exit: 1,
    },
    { name: "undefined", err: undefined, iamra: false, config: false, exit: 1 },
  ];
  for (const c of cases) {
    it(`classifies ${c.name}`, () => {
      expect(isIamraError(c.err)).to.equal(c.iamra);
      expect(isConfigError(c.err)).to.equal(c.config);
      expect(exitCodeFor(c.err)).to.equal(c.exit);
    });
  }

  it("summarises message and hint on one line and keeps the cause out of the JSON's secrets", () => {
    const err = new IamraError({
      code: "VAULT_NOT_FOUND",
      message: "failed at x",
      hint: "do y",
      cause: Object.assign(new Error("inner"), { code: "ECONNREFUSED" }),
    });
    expect(err.summary()).to.equal("failed at x Hint: do y");
    expect(err.toJSON()).to.include({
      code: "VAULT_NOT_FOUND",
      message: "failed at x",
      hint: "do y",
      retryable: false,
    });
    expect(err.toJSON().cause).to.deep.equal({ code: "ECONNREFUSED", message: "inner" });
  });
});
