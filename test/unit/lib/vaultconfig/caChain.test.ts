import { expect } from "chai";
import { ConfigError } from "../../../../lib/errors.js";
import { checkSignedIntermediate, rootsOf } from "../../../../lib/vaultconfig/caChain.js";
import {
  makeCertificate as makeTestCertificate,
  type GeneratedCertificate as TestCertificate,
} from "../../../../devstack/certificates/makeCertificate.js";

describe("checkSignedIntermediate", () => {
  let root: TestCertificate;
  let mid: TestCertificate;
  let intermediate: TestCertificate;
  let otherRoot: TestCertificate;
  let leaf: TestCertificate;
  before(async () => {
    root = await makeTestCertificate({ subject: "CN=Org Root", ca: true });
    mid = await makeTestCertificate({ subject: "CN=Org Issuing", ca: true, issuer: root });
    intermediate = await makeTestCertificate({ subject: "CN=Vault Intermediate", ca: true, issuer: root });
    otherRoot = await makeTestCertificate({ subject: "CN=Other Root", ca: true });
    leaf = await makeTestCertificate({ subject: "CN=leaf", issuer: root });
  });

  it("returns the intermediate followed by its root", () => {
    const out = checkSignedIntermediate(intermediate.pem, root.pem);
    expect(out.rootPem).to.equal(root.pem.trim());
    expect(out.bundlePem).to.equal(`${intermediate.pem.trim()}\n${root.pem.trim()}`);
  });

  it("walks a chain with a CA between the intermediate and the root, in any order", async () => {
    const under = await makeTestCertificate({ subject: "CN=Vault Intermediate 2", ca: true, issuer: mid });
    const out = checkSignedIntermediate(under.pem, root.pem + mid.pem);
    expect(out.bundlePem).to.equal([under.pem, mid.pem, root.pem].map((p) => p.trim()).join("\n"));
    expect(out.rootPem).to.equal(root.pem.trim());
  });

  const bad: Array<[string, () => [string, string], RegExp]> = [
    [
      "a certificate signed by another root",
      () => [intermediate.pem, otherRoot.pem],
      /is not signed by any certificate in --root/,
    ],
    ["a non-CA certificate", () => [leaf.pem, root.pem], /is not a CA certificate/],
    [
      "a chain without a self-signed root",
      () => [intermediate.pem, mid.pem],
      /not signed by any certificate|self-signed/,
    ],
    ["an empty root file", () => [intermediate.pem, ""], /--root: no certificate found/],
  ];
  for (const [name, args, message] of bad) {
    it(`refuses ${name}`, () => {
      const [c, r] = args();
      let err: unknown;
      try {
        checkSignedIntermediate(c, r);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).message).to.match(message);
    });
  }

  it("rootsOf keeps only self-signed certificates", () => {
    expect(rootsOf(intermediate.pem + root.pem + mid.pem)).to.deep.equal([root.pem.trim()]);
  });
});
