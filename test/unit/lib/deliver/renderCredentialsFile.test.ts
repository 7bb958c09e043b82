import { expect } from "chai";
import { parse } from "ini";
import { renderConfigFile, renderCredentialsFile } from "../../../../lib/deliver/renderCredentialsFile.js";

const creds = {
  accessKeyId: "ASIANEW",
  secretAccessKey: "new/secret+key",
  sessionToken: "tok+en/with==",
  expiration: "2030-01-01T00:00:00Z",
  expirationMs: Date.UTC(2030, 0, 1),
};

describe("renderCredentialsFile", () => {
  const cases: Array<{ name: string; existing: string | undefined; profile: string; expected: string }> = [
    {
      name: "creates a file with one profile when there is none",
      existing: undefined,
      profile: "default",
      expected:
        "[default]\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+key\naws_session_token = tok+en/with==\n",
    },
    {
      name: "replaces the profile's keys and keeps other profiles and comments byte for byte",
      existing:
        "# managed\n[other]\naws_access_key_id = X ; keep\n\n[default]\naws_access_key_id = OLD\nregion=us-east-1\n\n# next\n[third]\nk=v\n",
      profile: "default",
      expected:
        "# managed\n[other]\naws_access_key_id = X ; keep\n\n[default]\naws_access_key_id = ASIANEW\nregion=us-east-1\n" +
        "aws_secret_access_key = new/secret+key\naws_session_token = tok+en/with==\n\n# next\n[third]\nk=v\n",
    },
    {
      name: "keeps comments and keys it does not own inside the profile, updating its own keys in place",
      existing:
        "[default]\n# rotated by iamra-vault\nregion = eu-west-1\naws_session_token = OLDTOK\n; note\n" +
        "aws_access_key_id = OLD\naws_secret_access_key = OLDSECRET\noutput = json\n",
      profile: "default",
      expected:
        "[default]\n# rotated by iamra-vault\nregion = eu-west-1\naws_session_token = tok+en/with==\n; note\n" +
        "aws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+key\noutput = json\n",
    },
    {
      name: "keeps CRLF line endings, in the profile and around it",
      existing: "# c\r\n[default]\r\naws_access_key_id = OLD\r\nregion = x\r\n\r\n[other]\r\nk = v\r\n",
      profile: "default",
      expected:
        "# c\r\n[default]\r\naws_access_key_id = ASIANEW\r\nregion = x\r\naws_secret_access_key = new/secret+key\r\n" +
        "aws_session_token = tok+en/with==\r\n\r\n[other]\r\nk = v\r\n",
    },
    {
      name: "appends a missing profile with CRLF when the file uses CRLF",
      existing: "[other]\r\nk = v\r\n",
      profile: "app",
      expected:
        "[other]\r\nk = v\r\n\r\n[app]\r\naws_access_key_id = ASIANEW\r\naws_secret_access_key = new/secret+key\r\n" +
        "aws_session_token = tok+en/with==\r\n",
    },
    {
      name: "drops repeated copies of its own keys in the profile (the first one is updated)",
      existing: "[default]\naws_access_key_id = A\naws_access_key_id = B\n",
      profile: "default",
      expected:
        "[default]\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+key\n" +
        "aws_session_token = tok+en/with==\n",
    },
    {
      name: "appends a missing profile after a blank line",
      existing: "[default]\naws_access_key_id = D\n",
      profile: "app",
      expected:
        "[default]\naws_access_key_id = D\n\n[app]\naws_access_key_id = ASIANEW\naws_secret_access_key = new/secret+key\naws_session_token = tok+en/with==\n",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(renderCredentialsFile(c.existing, c.profile, creds)).to.equal(c.expected);
    });
  }

  it("writes values that an INI parser reads back unchanged (no quotes around '=')", () => {
    const doc = parse(renderCredentialsFile(undefined, "p", creds)) as Record<string, Record<string, string>>;
    expect(doc.p!.aws_session_token).to.equal("tok+en/with==");
  });

  it("refuses a value with a newline instead of corrupting the file", () => {
    expect(() => renderCredentialsFile(undefined, "p", { ...creds, sessionToken: "a\n[default]" })).to.throw(/newline/);
  });
});

describe("renderConfigFile", () => {
  it("uses [profile name] for named profiles and [default] for the default one", () => {
    expect(renderConfigFile(undefined, "app", [["region", "eu-west-1"]])).to.equal(
      "[profile app]\nregion = eu-west-1\n",
    );
    expect(renderConfigFile("[profile x]\na = b\n", "default", [["region", "us-east-1"]])).to.equal(
      "[profile x]\na = b\n\n[default]\nregion = us-east-1\n",
    );
  });

  it("keeps the profile's other settings, including indented sub-settings, when it sets the region", () => {
    const existing = "[profile app]\nregion = us-east-1\noutput = json\ns3 =\n  region = nested\n";
    expect(renderConfigFile(existing, "app", [["region", "eu-west-1"]])).to.equal(
      "[profile app]\nregion = eu-west-1\noutput = json\ns3 =\n  region = nested\n",
    );
  });
});
