import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "ini";
import { generateKeyPair } from "../../lib/x509/generateKeyPair.js";
import { makeCertificate, type GeneratedCertificate } from "../../devstack/certificates/makeCertificate.js";
import {
  expectNoSecretsIn,
  makeScene,
  plantedSecrets,
  sampleWhile,
  startRefresher,
  startRefresherHarness,
  type RefresherHarness,
} from "../support/refresherHarness.js";
import { cryptoKeyPairOf } from "../../devstack/certificates/cryptoKeyPairOf.js";
import type { LogLine } from "../support/startCli.js";

describe("iamra-vault refresher with files (end to end on the devstack)", function () {
  this.timeout(60_000);
  let h: RefresherHarness;

  before(async () => {
    h = await startRefresherHarness();
  });
  after(async () => h?.close());

  /** A leaf certificate and its PKCS#8 key under `ca`, as PEM, with its serial (lower-case hex). */
  async function leaf(ca: GeneratedCertificate, name: string) {
    const pair = await generateKeyPair("ec-p256");
    const cert = await makeCertificate({ subject: `CN=${name}`, issuer: ca, keys: await cryptoKeyPairOf(pair) });
    const keyPem = pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" }) as string;
    return { certPem: cert.pem, keyPem, serial: new X509Certificate(cert.pem).serialNumber.toLowerCase() };
  }

  it("Vault Agent mode: waits while the certificate files are half-written or mismatched, then uses the new certificate", async () => {
    const ra = h.stack.rolesAnywhere;
    const ca = await makeCertificate({ subject: "CN=Agent E2E CA", ca: true });
    const role = ra.addRole({ name: "agent-e2e" });
    const arns = {
      ANCHOR_ARN: ra.addTrustAnchor({ name: "agent-e2e", caCertificatesPem: ca.pem }).arn,
      PROFILE_ARN: ra.addProfile({ name: "agent-e2e", roleArns: [role.arn] }).arn,
      ROLE_ARN: role.arn,
    };
    const [a, b] = [await leaf(ca, "agent-a"), await leaf(ca, "agent-b")];
    const s = await makeScene(h);
    delete s.env.VAULT_ADDR;
    Object.assign(s.env, arns);
    const secrets = join(s.dir, "vault-agent");
    await mkdir(secrets);
    const certFile = join(secrets, "cert.pem");
    const keyFile = join(secrets, "key.pem");
    await writeFile(certFile, a.certPem);
    await writeFile(keyFile, a.keyPem, { mode: 0o600 });
    const raFrom = ra.requests.length;
    const r = await startRefresher(h, s, [
      "--identity-source",
      "files",
      "--certificate",
      certFile,
      "--private-key",
      keyFile,
    ]);
    const first = await r.refreshed(1);
    expect(
      h.stack.sessions.lookup(first.accessKeyId as string)?.roleSessionName,
      "session from certificate A",
    ).to.equal(a.serial);

    // Vault Agent renders the certificate (first half, later the rest), then the key. Each bad state lasts until the
    // refresher has reported it, however slow the machine; the mismatched one also until a scheduled refresh in it has
    // signed with certificate A. The watcher (1 s settle) wakes the loop once the set is complete.
    const from = r.cli.lines.length;
    const serialOf = (akid: unknown) => h.stack.sessions.lookup(akid as string)?.roleSessionName;
    const notUsable = (code?: string) => (l: LogLine) =>
      l.msg === "certificate files not usable yet; waiting for Vault Agent" && (code === undefined || l.code === code);
    const script = (async () => {
      await writeFile(certFile, b.certPem.slice(0, Math.floor(b.certPem.length / 2)));
      await r.cli.waitFor(notUsable(), { from, timeoutMs: 15_000, what: "the half-written certificate reported" });
      await writeFile(certFile, b.certPem); // certificate B with key A
      const mismatch = await r.cli.waitFor(notUsable("KEY_CERT_MISMATCH"), {
        from,
        timeoutMs: 15_000,
        what: "the mismatched key reported",
      });
      await r.cli.waitFor((l) => l.msg === "credentials refreshed" && serialOf(l.accessKeyId) === a.serial, {
        from: r.cli.lines.indexOf(mismatch),
        timeoutMs: 15_000,
        what: "a scheduled refresh with certificate A while the files are mismatched",
      });
      await writeFile(keyFile, b.keyPem, { mode: 0o600 });
    })();
    const samples = await sampleWhile(r, {
      until: () =>
        r.cli.lines.slice(from).some((l) => l.msg === "credentials refreshed" && serialOf(l.accessKeyId) === b.serial),
      deadlineMs: 30_000,
    });
    await script;
    const switched = r.cli.lines
      .slice(from)
      .find((l) => l.msg === "credentials refreshed" && serialOf(l.accessKeyId) === b.serial);
    expect(switched, "a session from certificate B").to.not.equal(undefined);
    const codes = (msg: string) =>
      r.cli.lines
        .slice(from)
        .filter((l) => l.msg === msg)
        .map((l) => (l.code ?? (l.error as { code?: string } | undefined)?.code) as string);
    // both bad states were reported (the script waited for them), and nothing else was
    const seenBad = codes("certificate files not usable yet; waiting for Vault Agent");
    expect(seenBad, "the mismatched state reported").to.include("KEY_CERT_MISMATCH");
    expect(
      seenBad.every((c) => c === "CERTIFICATE_MISSING" || c === "KEY_CERT_MISMATCH"),
      seenBad.join(","),
    ).to.equal(true);
    // a refresh that falls into the bad window keeps signing with the last good certificate (A) instead of failing
    const failures = r.cli.lines.slice(from).filter((l) => /^refresh failed/.test(String(l.msg)));
    expect(failures, "no refresh failed while Vault Agent was rendering").to.deep.equal([]);
    // the watcher also notices the completed set (it may settle just after a scheduled refresh already switched to B)
    await r.cli.waitFor((l) => l.msg === "certificate files changed; refreshing", {
      from,
      timeoutMs: 15_000,
      what: "the watcher's wake-up",
    });

    // nothing half-written or mismatched was ever sent: every CreateSession carried A or B and was accepted
    const sent = ra.requests
      .slice(raFrom)
      .map((q) => [
        new X509Certificate(Buffer.from(String(q.headers["x-amz-x509"]), "base64")).serialNumber.toLowerCase(),
        q.status,
      ]);
    expect(new Set(sent.map(([serial]) => serial))).to.deep.equal(new Set([a.serial, b.serial]));
    expect(
      sent.filter(([, status]) => status !== 201),
      "refused CreateSession calls",
    ).to.deep.equal([]);
    // the app never noticed: the last good credentials were served all along
    expect(
      samples.filter((x) => x.endpoint !== 200),
      "endpoint failures",
    ).to.deep.equal([]);
    expect(await r.cli.stop()).to.deep.equal({ code: 0, signal: null });
    expectNoSecretsIn(
      r.cli,
      plantedSecrets(h, [s.saToken, r.token, a.keyPem.split("\n")[1]!, b.keyPem.split("\n")[1]!]),
    );
  });

  const PROFILES = 8_400;
  it("finishes an in-flight credentials write at SIGTERM: the file is complete and current, no temp file, exit 0", async () => {
    const s = await makeScene(h);
    // a large credentials file (other profiles are kept; just under the 1 MiB read bound) makes each rewrite, whose
    // temp files are all written and fsynced before the first rename, take long enough to be caught in the act
    const profile = (i: number) =>
      `[other-${i}]\naws_access_key_id = AKIAOTHER${String(i).padStart(8, "0")}\n` +
      `aws_secret_access_key = ${"x".repeat(40)}\n`;
    const others = Array.from({ length: PROFILES }, (_, i) => profile(i)).join("\n");
    expect(others.length).to.be.within(900_000, 1024 * 1024);
    await writeFile(join(s.out, "credentials"), others);
    const r = await startRefresher(h, s, ["--write-process-json"]);
    await r.refreshed(1);
    await r.refreshed(2); // the first write is done by now (it precedes the second refresh)

    let tmp: string | undefined;
    const deadline = Date.now() + 10_000;
    while (!tmp && Date.now() < deadline)
      tmp = (await readdir(s.out)).find((f) => f.startsWith(".credentials.") && f.endsWith(".tmp"));
    expect(tmp, "caught a credentials write in flight").to.be.a("string");
    const inFlightKey = r.keys().at(-1);
    const exit = await r.cli.stop();

    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(
      (await readdir(s.out)).filter((f) => f.endsWith(".tmp")),
      "temp files left",
    ).to.deep.equal([]);
    const doc = parse(await readFile(join(s.out, "credentials"), "utf8")) as Record<string, Record<string, string>>;
    expect(Object.keys(doc)).to.have.length(PROFILES + 1);
    const lastOther = `AKIAOTHER${String(PROFILES - 1).padStart(8, "0")}`;
    expect(doc[`other-${PROFILES - 1}`]!.aws_access_key_id).to.equal(lastOther);
    expect(doc.default!.aws_access_key_id, "the in-flight write completed").to.equal(inFlightKey);
    expect(doc.default!.aws_secret_access_key).to.equal(h.stack.sessions.lookup(inFlightKey!)!.secretAccessKey);
    const processJson = JSON.parse(await readFile(join(s.out, "credential-process.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const state = JSON.parse(await readFile(join(s.out, "iamra-state.json"), "utf8")) as Record<string, unknown>;
    expect([processJson.AccessKeyId, state.accessKeyId], "the later files of the same write").to.deep.equal([
      inFlightKey,
      inFlightKey,
    ]);
    expect(r.cli.lines.some((l) => l.msg === "shutdown requested")).to.equal(true);
    expect(r.cli.lines.at(-1)).to.include({ msg: "refresher stopped", clean: true });
    expectNoSecretsIn(r.cli, plantedSecrets(h, [s.saToken, r.token]));
  });
});
