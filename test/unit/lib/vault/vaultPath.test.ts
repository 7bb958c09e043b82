import { expect } from "chai";
import { ConfigError } from "../../../../lib/errors.js";
import { kubernetesAuthMount, pkiMount, vaultPath } from "../../../../lib/vault/vaultPath.js";

describe("vaultPath", () => {
  const good: Array<[string, string]> = [
    ["/pki/sign/r", "pki/sign/r"],
    ["sys/health/", "sys/health"],
    ["secret/data/a-b_c.d", "secret/data/a-b_c.d"],
  ];
  for (const [input, expected] of good)
    it(`returns ${expected} for ${JSON.stringify(input)}`, () => expect(vaultPath(input)).to.equal(expected));
  const bad = ["", "/", "a//b", "a/./b", "a/../b", "v1/sys/health", "a b", "a?x=1", "a#f", "a%2Fb", "a\nb"];
  for (const input of bad)
    it(`rejects ${JSON.stringify(input)}`, () => expect(() => vaultPath(input)).to.throw(ConfigError));
});

describe("kubernetesAuthMount", () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, "kubernetes"],
    ["", "kubernetes"],
    ["auth/k8s", "k8s"],
    ["/a/b/", "a/b"],
    ["kubernetes", "kubernetes"],
  ];
  for (const [input, expected] of cases)
    it(`returns ${expected} for ${JSON.stringify(input)}`, () => expect(kubernetesAuthMount(input)).to.equal(expected));
});

describe("pkiMount", () => {
  it("defaults to pki and trims slashes", () => {
    expect([pkiMount(undefined), pkiMount(""), pkiMount("/pki_int/")]).to.deep.equal(["pki", "pki", "pki_int"]);
  });
});
