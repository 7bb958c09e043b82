import { expect } from "chai";
import { createPrivateKey, verify, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { signRequest } from "../../../../lib/rolesanywhere/signRequest.js";
import { canonicalQueryString } from "../../../../lib/rolesanywhere/canonicalRequest.js";

/** The floor programs' module (plain CommonJS, run by node without a build). */
interface FloorSigner {
  signCreateSession(o: {
    endpoint: string;
    trustAnchorArn: string;
    profileArn: string;
    roleArn: string;
    durationSeconds: number;
    privateKey: KeyObject;
    certificate: X509Certificate;
    chain: X509Certificate[];
    nowMs: number;
  }): { url: URL; headers: Record<string, string>; body: string };
  credentialsFromAnswer(status: number, text: string): Record<string, string>;
}
const floor = createRequire(import.meta.url)("../../../../bench/floor/sigV4X509.cjs") as FloorSigner;

const pki = fileURLToPath(new URL("../../../fixtures/roles-anywhere/pki/", import.meta.url));
const arns = {
  trustAnchorArn: "arn:aws:rolesanywhere:eu-west-1:000000000000:trust-anchor/a1b2",
  profileArn: "arn:aws:rolesanywhere:eu-west-1:000000000000:profile/c3d4",
  roleArn: "arn:aws:iam::000000000000:role/app",
};
const nowMs = Date.UTC(2026, 0, 2, 3, 4, 5);

/** The floor's request and ours (lib/rolesanywhere/signRequest) for the same key, certificates, ARNs and time. */
function bothSigned(keyFile: string, certFile: string, chainFiles: string[]) {
  const privateKey = createPrivateKey(readFileSync(`${pki}${keyFile}`));
  const certificate = new X509Certificate(readFileSync(`${pki}${certFile}`));
  const chain = chainFiles.map((f) => new X509Certificate(readFileSync(`${pki}${f}`)));
  const theirs = floor.signCreateSession({
    endpoint: "http://127.0.0.1:8443/prefix/",
    ...arns,
    durationSeconds: 900,
    privateKey,
    certificate,
    chain,
    nowMs,
  });
  const ours = signRequest({
    key: { keyObject: privateKey, type: privateKey.asymmetricKeyType === "rsa" ? "rsa" : "ec" },
    certificateDer: certificate.raw,
    serialDecimal: BigInt(`0x${certificate.serialNumber}`).toString(10),
    chainDer: chain.map((c) => c.raw),
    region: "eu-west-1",
    nowMs,
    host: "127.0.0.1:8443",
    query: arns,
    body: JSON.stringify({ durationSeconds: 900 }),
    headers: { "content-type": "application/json" },
  });
  return { theirs, ours, certificate };
}

describe("floor signCreateSession", () => {
  it("sends iamra-vault's request and signature when the key is RSA (PKCS#1 v1.5 is deterministic)", () => {
    const { theirs, ours } = bothSigned("rsa-leaf-key.pem", "rsa-leaf-cert.pem", []);
    expect(theirs.headers).to.deep.equal(ours.headers);
    expect(theirs.url.href).to.equal(`http://127.0.0.1:8443/prefix/sessions?${canonicalQueryString(arns)}`);
    expect(theirs.body).to.equal('{"durationSeconds":900}');
  });

  it("sends iamra-vault's headers and a valid ECDSA signature of its string to sign when there is a chain", () => {
    const { theirs, ours, certificate } = bothSigned("ec-leaf-key.pem", "ec-leaf-cert.pem", ["ec-int-cert.pem"]);
    const { authorization, ...headers } = theirs.headers;
    const { authorization: ourAuthorization, ...ourHeaders } = ours.headers;
    expect(headers).to.deep.equal(ourHeaders);
    expect(headers["x-amz-x509-chain"]).to.be.a("string").and.not.equal("");
    const [prefix, signature] = authorization!.split(", Signature=");
    expect(prefix).to.equal(ourAuthorization!.split(", Signature=")[0]);
    const valid = verify(
      "sha256",
      Buffer.from(ours.stringToSign),
      certificate.publicKey,
      Buffer.from(signature!, "hex"),
    );
    expect(valid).to.equal(true);
  });
});

describe("floor credentialsFromAnswer", () => {
  const credentials = { accessKeyId: "AKIA", secretAccessKey: "s", sessionToken: "t", expiration: "2026-01-02T04Z" };

  it("returns the first credential set when the answer is a 201 with all four fields", () => {
    const text = JSON.stringify({ credentialSet: [{ credentials }] });
    expect(floor.credentialsFromAnswer(201, text)).to.deep.equal(credentials);
  });

  it("throws with the status when the answer is not 2xx", () => {
    expect(() => floor.credentialsFromAnswer(403, '{"message":"denied"}')).to.throw(/HTTP 403: \{"message":"denied"\}/);
  });

  it("throws naming the field when a credential is missing", () => {
    const text = JSON.stringify({ credentialSet: [{ credentials: { ...credentials, sessionToken: undefined } }] });
    expect(() => floor.credentialsFromAnswer(201, text)).to.throw(/credentials\.sessionToken/);
  });
});
