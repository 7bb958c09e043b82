import { expect } from "chai";
import { webcrypto } from "node:crypto";
import { parseCsr } from "../../../../../devstack/vault/pki/parseCsr.js";
import { x509 } from "../../../../../devstack/certificates/x509Library.js";
import { createCsr } from "../../../../../lib/x509/createCsr.js";
import { generateKeyPair, type KeyKind } from "../../../../../lib/x509/generateKeyPair.js";
import { VaultHttpError } from "../../../../../devstack/vault/http/VaultHttpError.js";

const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

/** What an ASN.1 library reads from the same CSR (the stand-in's reader until it had its own): the reference. */
function reference(pem: string) {
  const csr = new x509.Pkcs10CertificateRequest(pem.trim());
  const sans = { dns: [] as string[], email: [] as string[], ip: [] as string[], uri: [] as string[] };
  const ext = csr.extensions.find((e) => e.type === "2.5.29.17");
  const san = ext ? new x509.SubjectAlternativeNameExtension(ext.rawData) : undefined;
  for (const item of san?.names.items ?? []) {
    const kind = ({ dns: "dns", email: "email", ip: "ip", url: "uri" } as const)[item.type as "dns"];
    if (kind) sans[kind].push(item.value);
  }
  return {
    cn: csr.subjectName.getField("CN")[0] ?? "",
    sans,
    spki: Buffer.from(csr.publicKey.rawData),
    hasBasicConstraints: csr.extensions.some((e) => e.type === "2.5.29.19"),
  };
}

function refusal(pem: string): string {
  try {
    parseCsr(pem);
  } catch (err) {
    expect(err).to.be.instanceOf(VaultHttpError);
    return (err as Error).message;
  }
  throw new Error("parseCsr accepted the CSR");
}

describe("parseCsr", () => {
  for (const kind of ["ec-p256", "ec-p384", "rsa-2048"] as KeyKind[]) {
    it(`reads the project's own ${kind} CSR as the ASN.1 library does`, async () => {
      const pem = await createCsr({
        keyPair: await generateKeyPair(kind),
        commonName: "app.demo",
        uriSans: ["spiffe://cluster.local/ns/demo/sa/app"],
        dnsSans: ["app.demo.svc"],
      });
      expect(parseCsr(pem)).to.deep.equal(reference(pem));
    });
  }

  it("reads every SAN kind, a UTF-8 CN, basic constraints and a NEW CERTIFICATE REQUEST label", async () => {
    const keys = (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: "O=Example, CN=Grüße app",
      keys: keys as never,
      signingAlgorithm: EC,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: "dns", value: "a.example" },
          { type: "email", value: "ops@example.com" },
          { type: "ip", value: "10.1.2.3" },
          { type: "ip", value: "2001:db8::1" },
          { type: "ip", value: "fe80::1:0:0:0:2" },
          { type: "url", value: "spiffe://x/y" },
        ]),
        new x509.BasicConstraintsExtension(true, 0, true),
      ],
    });
    const pem = csr.toString("pem").replace(/CERTIFICATE REQUEST-----/g, "NEW CERTIFICATE REQUEST-----");
    const parsed = parseCsr(pem);
    expect(parsed).to.deep.equal(reference(csr.toString("pem")));
    expect(parsed.cn).to.equal("Grüße app");
    expect(parsed.sans.ip).to.deep.equal(["10.1.2.3", "2001:db8::1", "fe80:0:0:1::2"]);
    expect(parsed.hasBasicConstraints).to.equal(true);
  });

  it("refuses a CSR whose signature does not match its key, or that is not DER, with Vault's strings", async () => {
    const pem = await createCsr({ keyPair: await generateKeyPair("ec-p256"), commonName: "app.demo" });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 5] ^= 0x01; // inside the signature
    const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----`;
    expect(refusal(forged)).to.equal("request signature invalid");
    const garbage = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----";
    expect(refusal(garbage)).to.match(/^certificate request could not be parsed: /);
    expect(refusal("not a pem")).to.equal("csr contains no data");
  });
});
