import { expect } from "chai";
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  symlink,
  truncate,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCredentialOutputs, outputConfigFrom } from "../../../../lib/deliver/writeCredentialOutputs.js";
import { generateKeyPair } from "../../../../lib/x509/generateKeyPair.js";
import { makeCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import type { X509Identity } from "../../../../lib/identity/x509Identity.js";
import { cryptoKeyPairOf } from "../../../../devstack/certificates/cryptoKeyPairOf.js";

const NOW = Date.UTC(2030, 0, 1);
const creds = (expirationMs: number) => ({
  accessKeyId: "ASIANEW",
  secretAccessKey: "s",
  sessionToken: "t",
  expiration: new Date(expirationMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
  expirationMs,
});

describe("writeCredentialOutputs", () => {
  let dir: string;
  let identity: X509Identity;
  before(async () => {
    const pair = await generateKeyPair("ec-p256");
    const cert = await makeCertificate({
      subject: "CN=w",
      keys: await cryptoKeyPairOf(pair),
      uriSans: ["spiffe://t/ns/a/sa/b"],
    });
    identity = { key: pair.signingKey, certificate: cert.cert, chain: [] };
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-outputs-"));
  });
  const out = () =>
    outputConfigFrom(
      {
        outputDir: dir,
        profile: "default",
        fileMode: 0o640,
        writeCredentials: true,
        writeConfig: true,
        writeProcessJson: true,
      },
      "eu-west-1",
    );

  it("writes credentials, config, process JSON and a non-secret state file", async () => {
    const written = await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW);
    expect(written.map((p) => p.slice(dir.length + 1))).to.deep.equal([
      "credentials",
      "config",
      "credential-process.json",
      "iamra-state.json",
    ]);
    const state = JSON.parse(await readFile(join(dir, "iamra-state.json"), "utf8"));
    expect(state).to.include({ accessKeyId: "ASIANEW" });
    expect(state.certificate.uriSans).to.deep.equal(["spiffe://t/ns/a/sa/b"]);
    expect(JSON.stringify(state)).to.not.contain('"s"');
    expect(await readFile(join(dir, "config"), "utf8")).to.equal("[default]\nregion = eu-west-1\n");
  });

  it("refuses credentials that have already expired and leaves the files unchanged", async () => {
    await writeFile(join(dir, "credentials"), "[default]\naws_access_key_id = OLD\n");
    const err = await writeCredentialOutputs(creds(NOW - 1000), out(), identity, NOW).catch((e) => e);
    expect(err.code).to.equal("CREDENTIALS_REJECTED");
    expect(await readFile(join(dir, "credentials"), "utf8")).to.equal("[default]\naws_access_key_id = OLD\n");
    expect(await readdir(dir)).to.deep.equal(["credentials"]);
  });

  it("reports an unreadable existing file with OUTPUT_NOT_READABLE (a directory in its place here)", async () => {
    await mkdir(join(dir, "credentials"));
    const err = await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_NOT_READABLE");
    expect(err.hint).to.be.a("string");
  });

  const outputsOf = async () => {
    const names = (await readdir(dir)).sort();
    return Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), "utf8")]));
  };

  for (const name of ["credentials", "config", "iamra-state.json"]) {
    it(`refuses a symlink planted as ${name}: nothing is read through it, copied or replaced`, async () => {
      const secret = join(dir, "..", `${dir.split("/").pop()}-secret`);
      await writeFile(secret, "[default]\nroot_secret = do-not-copy\n", { mode: 0o600 });
      await symlink(secret, join(dir, name));
      const err = await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW).catch((e) => e);
      expect(err.code).to.equal("OUTPUT_IS_SYMLINK");
      expect(err.message).to.contain(name);
      expect(err.hint).to.be.a("string");
      expect(await readFile(secret, "utf8")).to.equal("[default]\nroot_secret = do-not-copy\n");
      expect((await lstat(join(dir, name))).isSymbolicLink(), "the link itself is left alone").to.equal(true);
      expect(await readlink(join(dir, name))).to.equal(secret);
      expect(await readdir(dir), "no file was written").to.deep.equal([name]);
    });
  }

  it("refuses an oversized credentials file with OUTPUT_FILE_TOO_LARGE, without reading it, and leaves it", async () => {
    const path = join(dir, "credentials");
    await writeFile(path, "[default]\naws_access_key_id = OLD\n");
    await truncate(path, 50 * 1024 * 1024); // sparse: 50 MB on paper, nothing on disk
    const err = await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_FILE_TOO_LARGE");
    expect(err.hint).to.be.a("string");
    expect((await lstat(path)).size).to.equal(50 * 1024 * 1024);
    expect(await readdir(dir)).to.deep.equal(["credentials"]);
  });

  it("changes nothing when the disk fills up while the third of four files is written, and says so", async () => {
    await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW);
    const before = await outputsOf();
    let calls = 0;
    const writeTemp = async (tmp: string, data: string | Buffer, mode: number) => {
      if (++calls === 3) {
        await writeFile(tmp, String(data).slice(0, 10), { mode }); // half-written when the disk fills up
        throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      }
      await writeFile(tmp, data, { mode });
    };
    const next = { ...creds(NOW + 7_200_000), accessKeyId: "ASIANEXT" };
    const err = await writeCredentialOutputs(next, out(), identity, NOW + 1000, { fs: { writeTemp } }).catch((e) => e);
    expect(calls).to.equal(3);
    expect(err.code).to.equal("OUTPUT_NOT_WRITABLE");
    expect(err.retryable).to.equal(true);
    expect(err.message).to.contain("no file was replaced");
    expect(err.details.replaced).to.deep.equal([]);
    expect(await outputsOf(), "every file byte for byte, no temp file").to.deep.equal(before);
  });

  it("leaves a file it did not create alone when a temp name is taken already (EEXIST), and removes its own", async () => {
    await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW);
    const before = await outputsOf();
    let calls = 0;
    let planted = "";
    const writeTemp = async (tmp: string, data: string | Buffer, mode: number) => {
      if (++calls === 2) {
        planted = tmp;
        await writeFile(tmp, "someone else's file"); // taken before the exclusive create
        throw Object.assign(new Error("file already exists"), { code: "EEXIST" });
      }
      await writeFile(tmp, data, { mode });
    };
    const next = { ...creds(NOW + 7_200_000), accessKeyId: "ASIANEXT" };
    const err = await writeCredentialOutputs(next, out(), identity, NOW + 1000, { fs: { writeTemp } }).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_NOT_WRITABLE");
    expect(await readFile(planted, "utf8")).to.equal("someone else's file");
    await unlink(planted);
    expect(await outputsOf(), "every file byte for byte, our temp file removed").to.deep.equal(before);
  });

  it("reports exactly which files were replaced when a rename fails half-way, and leaves no temp file", async () => {
    await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW);
    const stateBefore = await readFile(join(dir, "iamra-state.json"), "utf8");
    let renames = 0;
    const { rename } = await import("node:fs/promises");
    const failingRename = async (from: string, to: string) => {
      if (++renames === 3) throw Object.assign(new Error("i/o error"), { code: "EIO" });
      await rename(from, to);
    };
    const next = { ...creds(NOW + 7_200_000), accessKeyId: "ASIANEXT" };
    const err = await writeCredentialOutputs(next, out(), identity, NOW + 1000, {
      fs: { rename: failingRename },
    }).catch((e) => e);
    expect(err.code).to.equal("OUTPUT_NOT_WRITABLE");
    expect(err.details.replaced).to.deep.equal([join(dir, "credentials"), join(dir, "config")]);
    expect(err.details.unchanged).to.deep.equal([join(dir, "credential-process.json"), join(dir, "iamra-state.json")]);
    expect(err.message).to.contain(`already replaced: ${join(dir, "credentials")}, ${join(dir, "config")}`);
    expect(await readFile(join(dir, "credentials"), "utf8")).to.contain("ASIANEXT");
    expect(await readFile(join(dir, "iamra-state.json"), "utf8")).to.equal(stateBefore);
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).to.deep.equal([]);
  });
});
