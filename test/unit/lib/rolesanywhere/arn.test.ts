import { expect } from "chai";
import { checkRoleArn, checkSessionArns, parseArn, type SessionArns } from "../../../../lib/rolesanywhere/arn.js";
import { ConfigError } from "../../../../lib/errors.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

const ID = "41cl0bae-6783-40d4-ab20-65dc5d922e45";

/** The three ARNs of one account and region in `partition`. */
function arnsIn(partition: string, region: string, account = "111122223333"): SessionArns {
  return {
    trustAnchorArn: `arn:${partition}:rolesanywhere:${region}:${account}:trust-anchor/${ID}`,
    profileArn: `arn:${partition}:rolesanywhere:${region}:${account}:profile/${ID}`,
    roleArn: `arn:${partition}:iam::${account}:role/app`,
  };
}

describe("parseArn", () => {
  it("splits an ARN into its parts, keeping a resource path with slashes whole", () => {
    expect(parseArn("arn:aws:iam::111122223333:role/team/app", "role ARN")).to.deep.equal({
      partition: "aws",
      service: "iam",
      region: "",
      account: "111122223333",
      resource: "role/team/app",
    });
  });

  it("keeps colons after the fifth in the resource", () => {
    expect(parseArn("arn:aws:logs:eu-west-1:111122223333:log-group:a:*", "x").resource).to.equal("log-group:a:*");
  });

  const form = "rolesanywhere:<region>:<account>";
  const copy = "without surrounding text";
  const malformed: Array<[name: string, value: string, hint: string]> = [
    ["an empty string", "", form],
    ["a bare resource", "role/app", form],
    ["too few parts", "arn:aws:iam::111122223333", form],
    ["another prefix", "urn:aws:iam::111122223333:role/app", form],
    ["no partition", "arn::iam::111122223333:role/app", form],
    ["no service", "arn:aws:::111122223333:role/app", form],
    ["a trailing newline", "arn:aws:iam::111122223333:role/app\n", copy],
    ["a tab inside", "arn:aws:iam::111122223333:role/a\tb", copy],
    ["a DEL character", "arn:aws:iam::111122223333:role/app\x7f", copy],
  ];
  for (const [name, value, hint] of malformed) {
    it(`throws ConfigError ARN_INVALID naming the setting for ${name}`, async () => {
      const err = await expectIamraError(() => parseArn(value, "profile ARN"), "ARN_INVALID");
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.match(/^profile ARN /);
      expect(err.hint).to.contain(hint);
    });
  }

  it("hints at the IAM form for a role ARN", async () => {
    const err = await expectIamraError(() => parseArn("role/app", "--assume-role-arn role ARN"), "ARN_INVALID");
    expect(err.hint).to.contain("iam::<account>:role/<name>");
  });
});

describe("checkSessionArns", () => {
  const partitions: Array<[partition: string, region: string]> = [
    ["aws", "us-east-1"],
    ["aws-cn", "cn-north-1"],
    ["aws-us-gov", "us-gov-west-1"],
    ["aws-iso", "us-iso-east-1"],
    ["aws-iso-b", "us-isob-east-1"],
    ["aws-iso-e", "eu-isoe-west-1"],
    ["aws-iso-f", "us-isof-south-1"],
  ];
  for (const [partition, region] of partitions) {
    it(`accepts the ARNs of the ${partition} partition and returns their region`, () => {
      expect(checkSessionArns(arnsIn(partition, region))).to.equal(region);
    });
  }

  it("accepts a role with a path", () => {
    const arns = { ...arnsIn("aws", "eu-west-1"), roleArn: "arn:aws:iam::111122223333:role/team/app" };
    expect(checkSessionArns(arns)).to.equal("eu-west-1");
  });

  const ok = arnsIn("aws", "eu-west-1");
  const bad: Array<[name: string, change: Partial<SessionArns>, problem: string]> = [
    [
      "a trust anchor of another service",
      { trustAnchorArn: ok.trustAnchorArn.replace(":rolesanywhere:", ":iam:") },
      `trust anchor ARN "arn:aws:iam:eu-west-1:111122223333:trust-anchor/${ID}" does not name a Roles Anywhere ` +
        "trust-anchor",
    ],
    [
      "a profile ARN given as the trust anchor",
      { trustAnchorArn: ok.profileArn },
      "does not name a Roles Anywhere trust-anchor",
    ],
    [
      "a trust anchor ARN given as the profile",
      { profileArn: ok.trustAnchorArn },
      "does not name a Roles Anywhere profile",
    ],
    [
      "a trust anchor without an ID",
      { trustAnchorArn: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/" },
      "does not name a Roles Anywhere trust-anchor",
    ],
    [
      "a resource type that only starts like profile",
      { profileArn: ok.profileArn.replace("profile/", "profiles/") },
      "does not name a Roles Anywhere profile",
    ],
    ["a user instead of a role", { roleArn: "arn:aws:iam::111122223333:user/app" }, "does not name an IAM role"],
    ["a role without a name", { roleArn: "arn:aws:iam::111122223333:role/" }, "does not name an IAM role"],
    ["a role of another service", { roleArn: "arn:aws:sts::111122223333:role/app" }, "does not name an IAM role"],
    ["an extra colon in the role name", { roleArn: "arn:aws:iam::111122223333:role/a:b" }, "does not name an IAM role"],
    [
      "an extra colon shifting the account",
      { roleArn: "arn:aws:iam:::111122223333:role/app" },
      "does not name an IAM role",
    ],
    [
      "a role ARN with a region",
      { roleArn: "arn:aws:iam:eu-west-1:111122223333:role/app" },
      "has a region, but IAM ARNs have none",
    ],
    [
      "trust anchor and profile without a region",
      {
        trustAnchorArn: `arn:aws:rolesanywhere::111122223333:trust-anchor/${ID}`,
        profileArn: `arn:aws:rolesanywhere::111122223333:profile/${ID}`,
      },
      "has no region",
    ],
    ["a short account ID", { profileArn: ok.profileArn.replace("111122223333", "1111") }, "has no 12-digit account ID"],
    ["an empty account ID", { roleArn: "arn:aws:iam:::role/app" }, "has no 12-digit account ID"],
    ["an account alias", { roleArn: "arn:aws:iam::my-account:role/app" }, "has no 12-digit account ID"],
    [
      "trust anchor and profile in different regions",
      { profileArn: ok.profileArn.replace("eu-west-1", "eu-west-2") },
      'trust anchor region "eu-west-1" and profile region "eu-west-2" differ',
    ],
    [
      "a role in another partition",
      { roleArn: "arn:aws-cn:iam::111122223333:role/app" },
      "the ARNs name different partitions (aws, aws-cn)",
    ],
  ];
  for (const [name, change, problem] of bad) {
    it(`throws ARN_INVALID for ${name}`, async () => {
      const err = await expectIamraError(() => checkSessionArns({ ...ok, ...change }), "ARN_INVALID");
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.contain(problem);
      expect(err.hint).to.contain("list-trust-anchors");
    });
  }

  it("reports every problem at once", async () => {
    const arns = {
      trustAnchorArn: ok.profileArn,
      profileArn: ok.trustAnchorArn.replace("eu-west-1", "us-east-1"),
      roleArn: "arn:aws:iam::111122223333:user/app",
    };
    const err = await expectIamraError(() => checkSessionArns(arns), "ARN_INVALID");
    expect((err as ConfigError).problems).to.have.length(4);
  });

  it("names the malformed ARN's setting when one is not an ARN at all", async () => {
    const err = await expectIamraError(() => checkSessionArns({ ...ok, roleArn: "" }), "ARN_INVALID");
    expect(err.message).to.equal('role ARN "" is not an ARN');
  });
});

describe("checkRoleArn", () => {
  it("accepts IAM role ARNs in every partition", () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"]) {
      expect(() => checkRoleArn(`arn:${partition}:iam::111122223333:role/app`, "--assume-role-arn")).not.to.throw();
    }
  });

  const bad: Array<[string, string, string]> = [
    ["a bare role name", "role/app", "is not an ARN"],
    ["a trust anchor ARN", arnsIn("aws", "eu-west-1").trustAnchorArn, "does not name an IAM role"],
    ["an assumed-role session ARN", "arn:aws:sts::111122223333:assumed-role/app/s", "does not name an IAM role"],
    ["a role ARN with a region", "arn:aws:iam:us-east-1:111122223333:role/app", "has a region"],
    ["a role ARN with a short account", "arn:aws:iam::12345:role/app", "has no 12-digit account ID"],
  ];
  for (const [name, value, problem] of bad) {
    it(`throws ARN_INVALID naming the setting for ${name}`, async () => {
      const err = await expectIamraError(() => checkRoleArn(value, "--assume-role-arn"), "ARN_INVALID");
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message)
        .to.match(/^--assume-role-arn /)
        .and.contain(problem);
    });
  }
});
