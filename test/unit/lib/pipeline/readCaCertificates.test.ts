import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { makeCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import { isConfigError } from "../../../../lib/errors.js";
import { readCaDirectory, readCaFile } from "../../../../lib/pipeline/readCaCertificates.js";
import { derInteger } from "../../../../lib/x509/der.js";
import { derToPem } from "../../../../lib/x509/parseCertificates.js";
import { readPemBlocks } from "../../../../lib/x509/readPemBlocks.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

/** File access over an in-memory map of path → content. */
function files(map: Record<string, string>) {
  return {
    readFile: async (p: string) => {
      if (!(p in map)) throw Object.assign(new Error(`no ${p}`), { code: "ENOENT" });
      return map[p]!;
    },
    readDir: async (dir: string) => {
      const names = Object.keys(map).filter((p) => p.startsWith(`${dir}/`));
      if (names.length === 0 && !(`${dir}/` in map)) throw Object.assign(new Error(`no ${dir}`), { code: "ENOENT" });
      return names.map((p) => p.slice(dir.length + 1));
    },
  };
}

/** Expects readCaFile to refuse `text` with CA_CERT_INVALID (exit 2), naming the setting and path, and `problem`. */
async function expectRefused(text: string, problem: string): Promise<void> {
  const e = await expectIamraError(
    () => readCaFile(files({ "/ca.pem": text }), "/ca.pem", "--ca-bundle"),
    "CA_CERT_INVALID",
  );
  expect(isConfigError(e)).to.equal(true);
  expect(e.message).to.equal(`--ca-bundle /ca.pem ${problem}`);
  expect(e.hint).to.equal("point --ca-bundle at a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----)");
  expect(e.details).to.deep.equal({ setting: "--ca-bundle", path: "/ca.pem" });
}

describe("readCaFile", () => {
  let pems: string[];
  let certDer: Buffer;
  before(async () => {
    const root = await makeCertificate({ subject: "CN=Bundle Root", ca: true });
    const other = await makeCertificate({ subject: "CN=Bundle Other Root", ca: true });
    const intermediate = await makeCertificate({ subject: "CN=Bundle Intermediate", ca: true, issuer: root });
    pems = [root.pem, other.pem, intermediate.pem];
    certDer = readPemBlocks(root.pem)[0]!.der;
  });
  /** The bundle with block `i` (0-based) replaced by `block`. */
  const bundleWith = (i: number, block: string) => pems.map((p, j) => (j === i ? block : p)).join("");
  /** The base64 lines of a PEM block, between its BEGIN and END lines. */
  const bodyOf = (pem: string) => pem.split("\n").slice(1, -2);
  const certificateBlock = (lines: string[]) => [
    "-----BEGIN CERTIFICATE-----",
    ...lines,
    "-----END CERTIFICATE-----",
    "",
  ];

  it("returns a bundle of certificates as it is, with comments between blocks and CRLF line ends", async () => {
    const text = pems.map((p, i) => `# CA ${i + 1}\r\n${p.replace(/\n/g, "\r\n")}`).join("\r\n");
    expect(await readCaFile(files({ "/ca.pem": text }), "/ca.pem", "--ca-bundle")).to.equal(text);
  });

  it("accepts spaces or tabs after a BEGIN line's dashes, as OpenSSL and Go's pem.Decode do", async () => {
    const text = bundleWith(1, pems[1]!.replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE----- \t\n"));
    expect(await readCaFile(files({ "/ca.pem": text }), "/ca.pem", "--ca-bundle")).to.equal(text);
    expect(readPemBlocks(text)).to.have.length(3);
  });

  it("refuses a file that cannot be read, naming the errno", async () => {
    const e = await expectIamraError(() => readCaFile(files({}), "/none.pem", "VAULT_CACERT"), "CA_CERT_INVALID");
    expect(e.message).to.equal("VAULT_CACERT /none.pem cannot be read (ENOENT)");
    expect(e.hint).to.include("point VAULT_CACERT at");
  });

  it("refuses a file without a PEM block: empty, text, or a DER certificate", async () => {
    await expectRefused("", "holds no PEM certificate");
    await expectRefused("not a certificate\n", "holds no PEM certificate");
    await expectRefused(certDer.toString("latin1"), "holds no PEM certificate");
  });

  it("refuses a private key, naming its block", async () => {
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" });
    await expectRefused(bundleWith(1, String(key)), 'holds a "PRIVATE KEY" block (block 2), not a certificate');
  });

  it("refuses a key labelled CERTIFICATE", async () => {
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "der", type: "pkcs8" });
    await expectRefused(bundleWith(1, derToPem(key)), "holds an unreadable certificate (block 2)");
  });

  it("refuses a certificate whose base64 was cut short, by a line or by a few characters", async () => {
    const lines = bodyOf(pems[2]!);
    await expectRefused(
      bundleWith(2, certificateBlock(lines.slice(0, -1)).join("\n")),
      "holds an unreadable certificate (block 3)",
    );
    const shorter = [...lines.slice(0, -1), lines[lines.length - 1]!.slice(0, -4)];
    await expectRefused(
      bundleWith(2, certificateBlock(shorter).join("\n")),
      "holds an unreadable certificate (block 3)",
    );
  });

  it("refuses garbled base64: a character outside the alphabet, or four characters added", async () => {
    const lines = bodyOf(pems[0]!);
    const bad = lines.map((l, i) => (i === 3 ? `${l.slice(0, 10)}!${l.slice(11)}` : l));
    await expectRefused(bundleWith(0, certificateBlock(bad).join("\n")), "holds an unreadable certificate (block 1)");
    const longer = lines.map((l, i) => (i === 3 ? `${l}AAAA` : l));
    await expectRefused(
      bundleWith(0, certificateBlock(longer).join("\n")),
      "holds an unreadable certificate (block 1)",
    );
  });

  it("refuses a block that is not a DER SEQUENCE, and one with bytes after the certificate", async () => {
    await expectRefused(bundleWith(1, derToPem(derInteger(65_537))), "holds an unreadable certificate (block 2)");
    const trailing = derToPem(Buffer.concat([certDer, Buffer.from("garbage")]));
    await expectRefused(bundleWith(1, trailing), "holds an unreadable certificate (block 2)");
  });

  it("keeps what was wrong as the cause", async () => {
    const io = files({ "/ca.pem": derToPem(Buffer.concat([certDer, Buffer.from([0, 0])])) });
    const e = await expectIamraError(() => readCaFile(io, "/ca.pem", "--ca-bundle"), "CA_CERT_INVALID");
    expect((e.cause as Error).message).to.equal("2 octets after the SEQUENCE");
  });

  it("refuses a file cut short inside its last block (no END line)", async () => {
    const cut = pems.join("").slice(0, -200);
    await expectRefused(cut, "holds a PEM block without its END line (block 3)");
  });
});

describe("readCaDirectory", () => {
  let a: string;
  let b: string;
  before(async () => {
    a = (await makeCertificate({ subject: "CN=Dir A", ca: true })).pem;
    b = (await makeCertificate({ subject: "CN=Dir B", ca: true })).pem;
  });

  it("joins every .pem and .crt file in name order and skips other files", async () => {
    const io = files({ "/ca/b.pem": b, "/ca/a.crt": a, "/ca/notes.txt": "not a certificate" });
    expect(await readCaDirectory(io, "/ca", "VAULT_CAPATH")).to.equal(`${a}\n${b}`);
  });

  it("refuses a directory without certificate files, and one that cannot be listed", async () => {
    const empty = await expectIamraError(
      () => readCaDirectory(files({ "/ca/notes.txt": "x" }), "/ca", "VAULT_CAPATH"),
      "CA_CERT_INVALID",
    );
    expect(empty.message).to.equal("VAULT_CAPATH /ca holds no .pem or .crt file");
    const missing = await expectIamraError(
      () => readCaDirectory(files({}), "/none", "VAULT_CAPATH"),
      "CA_CERT_INVALID",
    );
    expect(missing.message).to.equal("VAULT_CAPATH /none cannot be listed (ENOENT)");
  });

  it("refuses the directory when one of its files is unusable, naming that file", async () => {
    const io = files({ "/ca/a.pem": a, "/ca/b.pem": derToPem(derInteger(1)) });
    const e = await expectIamraError(() => readCaDirectory(io, "/ca", "VAULT_CAPATH"), "CA_CERT_INVALID");
    expect(e.message).to.equal("VAULT_CAPATH /ca/b.pem holds an unreadable certificate (block 1)");
  });
});
