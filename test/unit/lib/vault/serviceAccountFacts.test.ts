import { expect } from "chai";
import { serviceAccountFacts } from "../../../../lib/vault/serviceAccountFacts.js";
import { fakeJwt } from "./scriptedVault.js";

describe("serviceAccountFacts", () => {
  it("reads namespace, name, audiences and expiry from a projected token", () => {
    const jwt = fakeJwt({
      aud: ["vault", "x"],
      exp: 1_700_000_600,
      sub: "system:serviceaccount:payments:app",
      "kubernetes.io": { namespace: "payments", serviceaccount: { name: "app", uid: "u" } },
    });
    expect(serviceAccountFacts(jwt)).to.deep.equal({
      namespace: "payments",
      name: "app",
      audiences: ["vault", "x"],
      expiresAtMs: 1_700_000_600_000,
    });
  });

  it("reads a legacy secret-based token", () => {
    const jwt = fakeJwt({
      "kubernetes.io/serviceaccount/namespace": "ops",
      "kubernetes.io/serviceaccount/service-account.name": "bot",
      aud: "api",
    });
    expect(serviceAccountFacts(jwt)).to.deep.equal({ namespace: "ops", name: "bot", audiences: ["api"] });
  });

  it("falls back to sub and returns {} for something that is not a JWT", () => {
    expect(serviceAccountFacts(fakeJwt({ sub: "system:serviceaccount:a:b" }))).to.deep.equal({
      namespace: "a",
      name: "b",
    });
    expect(serviceAccountFacts("not-a-jwt")).to.deep.equal({});
    expect(serviceAccountFacts("a.!!!.c")).to.deep.equal({});
  });
});
