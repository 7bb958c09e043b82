import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { X509Certificate } from "node:crypto";
import { obtainCredentials, type ObtainStep, type SessionConfig } from "../../../../lib/pipeline/obtainCredentials.js";
import type { IdentitySource } from "../../../../lib/identity/identitySource.js";
import type { X509Identity } from "../../../../lib/identity/x509Identity.js";
import { loadPrivateKey } from "../../../../lib/x509/loadPrivateKey.js";
import { systemClock } from "../../../../lib/time/clock.js";
import { silentLogger } from "../../../../lib/log.js";
import { IamraError } from "../../../../lib/errors.js";
import { startScriptedServer } from "../../../support/scriptedServer.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

const pki = fileURLToPath(new URL("../../../fixtures/roles-anywhere/pki/", import.meta.url));
const signer: X509Identity = {
  key: loadPrivateKey(readFileSync(`${pki}rsa-leaf-key.pem`)),
  certificate: new X509Certificate(readFileSync(`${pki}rsa-leaf-cert.pem`)),
  chain: [],
};
const ROLE_ARN = "arn:aws:iam::000000000000:role/ExampleS3WriteRole";
const OK = {
  status: 201,
  body: JSON.stringify({
    credentialSet: [
      {
        credentials: {
          accessKeyId: "ASIAEXAMPLE",
          secretAccessKey: "s3cr3t",
          sessionToken: "tok",
          expiration: "2030-01-01T00:00:00Z",
        },
        roleArn: ROLE_ARN,
      },
    ],
  }),
};

function sessionAt(url: string): SessionConfig {
  return {
    request: {
      trustAnchorArn: "arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/41cl0bae-6783-40d4-ab20-65dc5d922e45",
      profileArn: "arn:aws:rolesanywhere:us-east-1:000000000000:profile/41cl0bae-6783-40d4-ab20-65dc5d922e45",
      roleArn: ROLE_ARN,
      durationSeconds: 900,
      endpoint: url,
    },
    transport: { timeoutMs: 2000 },
    maxAttempts: 1,
  };
}

/** An identity source that hands out `identity` (or throws `error`) and counts its calls. */
function fakeSource(outcome: { identity?: X509Identity; error?: Error }): IdentitySource & { gets: number } {
  const source = {
    gets: 0,
    async get() {
      source.gets++;
      if (outcome.error) throw outcome.error;
      return outcome.identity!;
    },
    close: async () => undefined,
  };
  return source;
}

describe("obtainCredentials", () => {
  let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
  afterEach(async () => server?.close());

  it("signs CreateSession with the source's identity and returns the credentials with that identity", async () => {
    server = await startScriptedServer([OK]);
    const source = fakeSource({ identity: signer });
    const steps: ObtainStep[] = [];
    const timed: string[] = [];
    const result = await obtainCredentials(source, sessionAt(server.url), {
      clock: systemClock,
      log: silentLogger(),
      userAgent: "iamra-vault test",
      onStep: (step) => steps.push(step),
      timeUpstream: (upstream, operation, call) => (timed.push(`${upstream}/${operation}`), call()),
    });
    expect(result.credentials).to.include({ accessKeyId: "ASIAEXAMPLE", expiration: "2030-01-01T00:00:00Z" });
    expect(result.identity).to.equal(signer);
    expect(source.gets).to.equal(1);
    expect(steps).to.deep.equal(["identity", "create-session"]);
    expect(timed).to.deep.equal(["rolesanywhere/CreateSession"]);
    expect(server.seen).to.have.length(1);
    expect(server.seen[0]!.headers["user-agent"]).to.equal("iamra-vault test");
    // the certificate sent is the source's: Roles Anywhere reads the signer from this header
    const sent = new X509Certificate(Buffer.from(server.seen[0]!.headers["x-amz-x509"] as string, "base64"));
    expect(sent.serialNumber).to.equal(signer.certificate.serialNumber);
  });

  it("calls no upstream when the identity source fails, and names the identity step", async () => {
    server = await startScriptedServer([OK]);
    const refused = new IamraError({ code: "VAULT_PKI_DENIED", message: "denied", hint: "fix the policy" });
    const steps: ObtainStep[] = [];
    await expectIamraError(
      () =>
        obtainCredentials(fakeSource({ error: refused }), sessionAt(server!.url), {
          clock: systemClock,
          log: silentLogger(),
          userAgent: "iamra-vault test",
          onStep: (step) => steps.push(step),
        }),
      "VAULT_PKI_DENIED",
    );
    expect(steps).to.deep.equal(["identity"]);
    expect(server.seen).to.have.length(0);
  });
});
