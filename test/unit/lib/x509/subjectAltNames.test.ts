import { expect } from "chai";
import { subjectAltNames } from "../../../../lib/x509/subjectAltNames.js";
import { makeCertificate } from "../../../../devstack/certificates/makeCertificate.js";

describe("subjectAltNames", () => {
  it("returns URI and DNS names in order, unquoting values with special characters", async () => {
    const c = await makeCertificate({
      subject: "CN=x",
      uriSans: ["spiffe://cluster.local/ns/a/sa/b", 'urn:x,y:"q"'],
      dnsSans: ["a.b.c", "d.e"],
    });
    expect(subjectAltNames(c.cert)).to.deep.equal({
      uris: ["spiffe://cluster.local/ns/a/sa/b", 'urn:x,y:"q"'],
      dns: ["a.b.c", "d.e"],
    });
  });

  it("returns empty lists for a certificate without subjectAltName", async () => {
    const c = await makeCertificate({ subject: "CN=plain" });
    expect(subjectAltNames(c.cert)).to.deep.equal({ uris: [], dns: [] });
  });
});
