import { expect } from "chai";
import { makeCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import { x509 } from "../../../../devstack/certificates/x509Library.js";
import { sessionTagsFromCertificate } from "../../../../devstack/rolesanywhere/sessionTagsFromCertificate.js";

describe("sessionTagsFromCertificate", () => {
  it("maps the first value of each subject and issuer attribute, and the first URI and DNS names", async () => {
    const ca = await makeCertificate({ subject: "CN=Issuing CA, O=Example\\, Inc., OU=ops, OU=sec, C=DE", ca: true });
    const leaf = await makeCertificate({
      subject: "CN=app.demo, O=Team Q, OU=first, OU=second, ST=Bayern, L=München",
      issuer: ca,
      uriSans: ["spiffe://cluster.local/ns/demo/sa/app", "spiffe://other/x"],
      dnsSans: ["a.example", "b.example"],
    });
    const { tags, sourceIdentity } = sessionTagsFromCertificate(leaf.cert);
    expect(tags).to.deep.equal({
      "x509Subject/CN": "app.demo",
      "x509Subject/O": "Team Q",
      "x509Subject/OU": "first",
      "x509Subject/ST": "Bayern",
      "x509Subject/L": "München",
      "x509Issuer/CN": "Issuing CA",
      "x509Issuer/O": "Example, Inc.",
      "x509Issuer/OU": "ops",
      "x509Issuer/C": "DE",
      "x509SAN/URI": "spiffe://cluster.local/ns/demo/sa/app",
      "x509SAN/DNS": "a.example",
    });
    expect(sourceIdentity).to.equal("app.demo");
    // the same reading as an ASN.1 library's
    const parsed = new x509.X509Certificate(leaf.cert.raw);
    for (const attr of ["CN", "O", "OU", "C", "ST", "L"]) {
      expect(tags[`x509Subject/${attr}`]).to.equal(parsed.subjectName.getField(attr)[0]);
      expect(tags[`x509Issuer/${attr}`]).to.equal(parsed.issuerName.getField(attr)[0]);
    }
  });

  it("gives no source identity and no SAN tags for a certificate without a CN or SANs", async () => {
    const cert = await makeCertificate({ subject: "O=NoName" });
    expect(sessionTagsFromCertificate(cert.cert)).to.deep.equal({
      tags: { "x509Subject/O": "NoName", "x509Issuer/O": "NoName" },
      sourceIdentity: undefined,
    });
  });
});
