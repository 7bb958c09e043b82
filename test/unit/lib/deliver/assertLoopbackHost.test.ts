import { expect } from "chai";
import { assertLoopbackHost, isLoopbackHost } from "../../../../lib/deliver/assertLoopbackHost.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("isLoopbackHost", () => {
  const cases: Array<[string, boolean]> = [
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["[::1]", true],
    ["0:0:0:0:0:0:0:1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.1", false],
    ["128.0.0.1", false],
    ["localhost", false],
    ["169.254.170.2", false],
    ["", false],
  ];
  for (const [host, expected] of cases) {
    it(`is ${expected} for "${host}"`, () => expect(isLoopbackHost(host)).to.equal(expected));
  }
});

describe("assertLoopbackHost", () => {
  it("throws a ConfigError naming the setting and the host", async () => {
    const err = await expectIamraError(
      () => assertLoopbackHost("0.0.0.0", "container endpoint host"),
      "ENDPOINT_NOT_LOOPBACK",
    );
    expect(err.name).to.equal("ConfigError");
    expect(err.message).to.contain("container endpoint host").and.to.contain("0.0.0.0");
    expect(err.hint).to.contain("127.0.0.1");
  });

  it("accepts loopback", () => {
    expect(() => assertLoopbackHost("127.0.0.1", "h")).to.not.throw();
  });
});
