import { expect } from "chai";
import { credentialsProblem, type AwsCredentials } from "../../../../lib/credentials/awsCredentials.js";
import { testCredentials } from "../../../support/testCredentials.js";

describe("credentialsProblem", () => {
  const nowMs = Date.parse("2026-01-01T00:00:00Z");
  const good = testCredentials(nowMs + 3_600_000);

  it("finds no problem in complete credentials that expire later", () => {
    expect(credentialsProblem(good, nowMs)).to.equal(undefined);
  });

  const cases: Array<[string, AwsCredentials | undefined, string]> = [
    ["no object", undefined, "no credentials object"],
    ["an empty secret", { ...good, secretAccessKey: " " }, "secretAccessKey is missing or empty"],
    ["no session token", { ...good, sessionToken: undefined as unknown as string }, "sessionToken is missing or empty"],
    ["a non-numeric expirationMs", { ...good, expirationMs: Number.NaN }, "expirationMs is not a number"],
    ["an expiration that is not a date", { ...good, expiration: "soon" }, 'expiration "soon" is not a date'],
    [
      "expiration and expirationMs apart",
      { ...good, expirationMs: good.expirationMs + 5000 },
      `expiration "${good.expiration}" disagrees with expirationMs`,
    ],
    ["expired credentials", testCredentials(nowMs), `already expired at ${testCredentials(nowMs).expiration}`],
  ];
  for (const [what, creds, problem] of cases) {
    it(`names the problem when given ${what}`, () => {
      expect(credentialsProblem(creds, nowMs)).to.equal(problem);
    });
  }

  it("never repeats a secret value in the problem", () => {
    const problem = credentialsProblem({ ...good, expiration: "x" }, nowMs) ?? "";
    expect(problem).to.not.contain(good.secretAccessKey).and.to.not.contain(good.sessionToken);
  });
});
