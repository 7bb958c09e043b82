import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { chmod, link, mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthToken, writeTokenFile } from "../../../../lib/deliver/containerEndpoint.js";
import { reusableEndpointToken } from "../../../../lib/deliver/reusableEndpointToken.js";

const MODE = 0o640;
const uid = process.getuid!();

describe("reusableEndpointToken", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-token-reuse-"));
    path = join(dir, "endpoint-token");
  });

  it("returns the token of a file the refresher wrote (regular, owned, same mode, one token)", async () => {
    const token = createAuthToken();
    await writeTokenFile(path, token, MODE);
    expect(await reusableEndpointToken(path, { mode: MODE, uid })).to.deep.equal({ token });
  });

  it("gives reason absent when there is no file", async () => {
    expect(await reusableEndpointToken(path, { mode: MODE, uid })).to.deep.equal({ reason: "absent" });
  });

  // each case plants a file the refresher would not have written; none of them is reused
  const cases: Array<[what: string, plant: (token: string) => Promise<void>, reason: RegExp]> = [
    ["a trailing newline", (t) => writeFile(path, `${t}\n`, { mode: MODE }), /44 bytes/],
    ["a short token", (t) => writeFile(path, t.slice(1), { mode: MODE }), /42 bytes/],
    ["characters outside base64url", (t) => writeFile(path, `${t.slice(1)}+`, { mode: MODE }), /not a token/],
    ["another mode", (t) => writeFile(path, t, { mode: 0o666 }).then(() => chmod(path, 0o666)), /mode 666/],
    [
      "a symbolic link to a valid token",
      async (t) => {
        await writeTokenFile(join(dir, "elsewhere"), t, MODE);
        await symlink(join(dir, "elsewhere"), path);
      },
      /symbolic link/,
    ],
    [
      "a second hard link",
      async (t) => {
        await writeTokenFile(path, t, MODE);
        await link(path, join(dir, "other-name"));
      },
      /2 hard links/,
    ],
    ["a directory", () => mkdir(path).then(() => undefined), /not a regular file/],
    [
      "a FIFO",
      async () => {
        execFileSync("mkfifo", [path]);
      },
      /not a regular file/,
    ],
  ];
  for (const [what, plant, reason] of cases) {
    it(`is not reused with ${what}`, async () => {
      await plant(createAuthToken());
      const got = await reusableEndpointToken(path, { mode: MODE, uid });
      expect(got.token).to.equal(undefined);
      expect(got.reason).to.match(reason);
    });
  }

  it("is not reused when another user owns the file", async () => {
    await writeTokenFile(path, createAuthToken(), MODE);
    const got = await reusableEndpointToken(path, { mode: MODE, uid: uid + 1 });
    expect(got).to.deep.equal({ reason: `owned by uid ${uid}, not ${uid + 1}` });
  });
});
