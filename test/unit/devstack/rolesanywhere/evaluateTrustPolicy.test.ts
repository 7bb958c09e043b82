import { expect } from "chai";
import {
  evaluateTrustPolicy,
  type TrustPolicy,
  type TrustPolicyStatement,
} from "../../../../devstack/rolesanywhere/evaluateTrustPolicy.js";

const ANCHOR = "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0b8e3a4c-1f2d-4c5b-9a6e-7d8f9e0a1b2c";
const context = {
  "aws:SourceArn": ANCHOR,
  "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/payments/sa/app",
  "aws:PrincipalTag/x509Subject/CN": "app-leaf",
};
const ACTIONS = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];
const allow = (extra: Partial<TrustPolicyStatement> = {}): TrustPolicyStatement => ({
  Effect: "Allow",
  Principal: { Service: "rolesanywhere.amazonaws.com" },
  Action: ACTIONS,
  ...extra,
});
const policy = (...s: TrustPolicyStatement[]): TrustPolicy => ({ Version: "2012-10-17", Statement: s });

describe("evaluateTrustPolicy", () => {
  const cases: Array<[string, TrustPolicy, boolean, string?]> = [
    ["allows the three actions with no condition", policy(allow()), true],
    ["allows with sts:* as the action", policy(allow({ Action: "sts:*" })), true],
    [
      "refuses when sts:TagSession is missing",
      policy(allow({ Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] })),
      false,
      "sts:TagSession",
    ],
    [
      "refuses another service principal",
      policy(allow({ Principal: { Service: "ec2.amazonaws.com" } })),
      false,
      "sts:AssumeRole",
    ],
    [
      "allows StringEquals on the URI SAN",
      policy(
        allow({
          Condition: { StringEquals: { "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/payments/sa/app" } },
        }),
      ),
      true,
    ],
    [
      "refuses StringEquals on another service account",
      policy(
        allow({
          Condition: {
            StringEquals: { "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/payments/sa/other" },
          },
        }),
      ),
      false,
    ],
    [
      "allows when one of several values matches",
      policy(allow({ Condition: { StringEquals: { "aws:PrincipalTag/x509Subject/CN": ["x", "app-leaf"] } } })),
      true,
    ],
    [
      "allows StringLike with *",
      policy(
        allow({
          Condition: { StringLike: { "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/payments/*" } },
        }),
      ),
      true,
    ],
    [
      "refuses StringLike that does not match",
      policy(
        allow({ Condition: { StringLike: { "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/billing/*" } } }),
      ),
      false,
    ],
    [
      "allows ArnEquals on aws:SourceArn",
      policy(allow({ Condition: { ArnEquals: { "aws:SourceArn": ANCHOR } } })),
      true,
    ],
    [
      "allows ArnLike on aws:SourceArn",
      policy(
        allow({
          Condition: { ArnLike: { "aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/*" } },
        }),
      ),
      true,
    ],
    [
      "refuses ArnEquals on another trust anchor",
      policy(allow({ Condition: { ArnEquals: { "aws:SourceArn": ANCHOR.replace(/.$/, "d") } } })),
      false,
    ],
    [
      "refuses a condition on a tag the certificate lacks",
      policy(allow({ Condition: { StringEquals: { "aws:PrincipalTag/x509Subject/OU": "x" } } })),
      false,
    ],
    [
      "allows StringEqualsIfExists on a missing tag",
      policy(allow({ Condition: { StringEqualsIfExists: { "aws:PrincipalTag/x509Subject/OU": "x" } } })),
      true,
    ],
    [
      "requires every operator to hold (AND)",
      policy(
        allow({
          Condition: {
            StringLike: { "aws:PrincipalTag/x509SAN/URI": "*" },
            StringEquals: { "aws:PrincipalTag/x509Subject/CN": "nope" },
          },
        }),
      ),
      false,
    ],
    [
      "fails closed on an unknown operator",
      policy(allow({ Condition: { NumericEquals: { "aws:PrincipalTag/x509Subject/CN": "1" } } })),
      false,
    ],
    [
      "lets an explicit Deny win",
      policy(allow(), {
        Effect: "Deny",
        Principal: "*",
        Action: "sts:AssumeRole",
        Condition: { StringNotEquals: { "aws:PrincipalTag/x509Subject/CN": "other" } },
      }),
      false,
      "sts:AssumeRole",
    ],
  ];
  for (const [what, p, allowed, deniedAction] of cases) {
    it(what, () => {
      const d = evaluateTrustPolicy(p, ACTIONS, context);
      expect(d.allowed).to.equal(allowed);
      if (deniedAction) expect(d.deniedAction).to.equal(deniedAction);
    });
  }
});
