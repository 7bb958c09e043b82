import { expect } from "chai";
import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCredentialOutputs } from "../../../../lib/deliver/readCredentialOutputs.js";
import { readIniSection } from "../../../../lib/deliver/replaceIniSection.js";

const STATE = {
  accessKeyId: "ASIAADOPT",
  expiration: "2030-01-01T00:00:00Z",
  roleArn: "arn:aws:iam::1:role/r",
  writtenAt: "2029-12-31T23:00:00.000Z",
};

describe("readCredentialOutputs", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-adopt-"));
  });
  const write = async (credentials: string, state: object = STATE) => {
    await writeFile(join(dir, "credentials"), credentials);
    await writeFile(join(dir, "iamra-state.json"), JSON.stringify(state));
  };

  it("adopts the profile whose key matches the state file, with the state's expiration", async () => {
    await write(
      "[other]\naws_access_key_id = X\n\n[default]\naws_access_key_id = ASIAADOPT\naws_secret_access_key = s/e+c==\naws_session_token = t=\n",
    );
    const got = await readCredentialOutputs(dir, "default");
    expect(got?.creds).to.deep.equal({
      accessKeyId: "ASIAADOPT",
      secretAccessKey: "s/e+c==",
      sessionToken: "t=",
      expiration: STATE.expiration,
      expirationMs: Date.UTC(2030, 0, 1),
      roleArn: STATE.roleArn,
    });
    expect(got?.writtenAtMs).to.equal(Date.parse(STATE.writtenAt));
  });

  it("reads a profile whose name contains dots literally", async () => {
    await write("[my.app]\naws_access_key_id = ASIAADOPT\naws_secret_access_key = s\naws_session_token = t\n");
    expect((await readCredentialOutputs(dir, "my.app"))?.creds.accessKeyId).to.equal("ASIAADOPT");
  });

  it("returns the certificate's notAfter recorded in the state file", async () => {
    const notAfter = "2030-01-02T00:00:00.000Z";
    const certificate = { serial: "1", notAfter, uriSans: [] };
    await write("[default]\naws_access_key_id = ASIAADOPT\n", { ...STATE, certificate });
    expect((await readCredentialOutputs(dir, "default"))?.certificateNotAfterMs).to.equal(Date.parse(notAfter));
  });

  it("reports a symlinked credentials file (OUTPUT_IS_SYMLINK) instead of reading through it", async () => {
    await writeFile(join(dir, "elsewhere"), "[default]\naws_access_key_id = ASIAADOPT\n");
    await writeFile(join(dir, "iamra-state.json"), JSON.stringify(STATE));
    await symlink(join(dir, "elsewhere"), join(dir, "credentials"));
    const err = await readCredentialOutputs(dir, "default").catch((e) => e);
    expect(err.code).to.equal("OUTPUT_IS_SYMLINK");
  });

  const nothing: Array<[string, () => Promise<void>]> = [
    ["no files", async () => undefined],
    ["a key that the state file does not name", () => write("[default]\naws_access_key_id = ASIAOTHER\n")],
    [
      "an unparseable state file",
      async () => {
        await writeFile(join(dir, "credentials"), "[default]\naws_access_key_id = ASIAADOPT\n");
        await writeFile(join(dir, "iamra-state.json"), "{not json");
      },
    ],
    ["no such profile", () => write("[other]\naws_access_key_id = ASIAADOPT\n")],
  ];
  for (const [name, setup] of nothing) {
    it(`adopts nothing when there is ${name}`, async () => {
      await setup();
      expect(await readCredentialOutputs(dir, "default")).to.equal(undefined);
    });
  }
});

describe("readIniSection", () => {
  it("returns the section's pairs, stopping at the next header and skipping comments", () => {
    const text = "# c\n[a.b]\nk = v=1\n; note\nx=y\n[c]\nk = other\n";
    expect(readIniSection(text, "a.b")).to.deep.equal({ k: "v=1", x: "y" });
    expect(readIniSection(text, "a")).to.equal(undefined);
  });
});
