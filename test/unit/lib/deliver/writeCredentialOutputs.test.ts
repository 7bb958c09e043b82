import { expect } from "chai";
import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCredentialOutputs, outputConfigFrom } from "../../../../lib/deliver/writeCredentialOutputs.js";
import { generateKeyPair } from "../../../../lib/x509/generateKeyPair.js";
import { makeCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import type { LoadedIdentity } from "../../../../lib/x509/loadIdentityFiles.js";

const NOW = Date.UTC(2030, 0, 1);
const creds = (expirationMs: number) => ({
  accessKeyId: "ASIANEW", secretAccessKey: "s", sessionToken: "t", expiration: new Date(expirationMs).toISOString().replace(/\.\d{3}Z$/, "Z"), expirationMs,
});

describe("writeCredentialOutputs", () => {
  let dir: string;
  let identity: LoadedIdentity;
  before(async () => {
    const pair = await generateKeyPair("ec-p256");
    const cert = await makeCertificate({ subject: "CN=w", keys: pair.cryptoKeyPair, uriSans: ["spiffe://t/ns/a/sa/b"] });
    identity = { key: pair.signingKey, certificate: cert.cert, chain: [] };
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-outputs-"));
  });
  const out = () => outputConfigFrom({ outputDir: dir, profile: "default", fileMode: 0o640, writeCredentials: true, writeConfig: true, writeProcessJson: true }, "eu-west-1");

  it("writes credentials, config, process JSON and a non-secret state file", async () => {
    const written = await writeCredentialOutputs(creds(NOW + 3_600_000), out(), identity, NOW);
    expect(written.map((p) => p.slice(dir.length + 1))).to.deep.equal(["credentials", "config", "credential-process.json", "iamra-state.json"]);
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
});
