import { expect } from "chai";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileIdentitySource } from "../../../../lib/identity/fileIdentitySource.js";
import { generateKeyPair } from "../../../../lib/x509/generateKeyPair.js";
import { serialToDecimal } from "../../../../lib/x509/parseCertificates.js";
import { silentLogger } from "../../../../lib/log.js";
import { isIamraError } from "../../../../lib/errors.js";
import { makeCertificate, type GeneratedCertificate } from "../../../../devstack/certificates/makeCertificate.js";
import { cryptoKeyPairOf } from "../../../../devstack/certificates/cryptoKeyPairOf.js";
import type { FileWatcher } from "../../../../lib/identity/watchFiles.js";

/** Resolves with the first value `next()` gives, waiting on its promise (the test's timeout bounds the wait). */
function nextEvent<T>(): { push(v: T): void; next(): Promise<T> } {
  const queued: T[] = [];
  const waiting: Array<(v: T) => void> = [];
  return {
    push: (v) => (waiting.length ? waiting.shift()!(v) : queued.push(v)),
    next: () => (queued.length ? Promise.resolve(queued.shift()!) : new Promise<T>((r) => waiting.push(r))),
  };
}

async function writePair(dir: string, ca: GeneratedCertificate, notAfter = new Date("2040-01-01T00:00:00Z")) {
  const pair = await generateKeyPair("ec-p256");
  const cert = await makeCertificate({ subject: "CN=agent", issuer: ca, keys: await cryptoKeyPairOf(pair), notAfter });
  const key = pair.signingKey.keyObject.export({ type: "pkcs8", format: "pem" }) as string;
  await writeFile(join(dir, "tls.crt"), cert.pem);
  await writeFile(join(dir, "tls.key"), key);
  return { cert, key };
}

describe("createFileIdentitySource", () => {
  let dir: string;
  let ca: GeneratedCertificate;
  const clock = { now: () => Date.UTC(2030, 0, 1), sleep: async () => undefined };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "iamra-files-"));
    ca = await makeCertificate({ subject: "CN=Agent CA", ca: true });
  });
  const source = () =>
    createFileIdentitySource(
      { certificate: join(dir, "tls.crt"), privateKey: join(dir, "tls.key") },
      { clock, log: silentLogger() },
    );

  it("reads the files on every get(), so a re-rendered certificate is used at once", async () => {
    const s = source();
    const a = await writePair(dir, ca);
    expect(serialToDecimal((await s.get()).certificate)).to.equal(serialToDecimal(a.cert.cert));
    const b = await writePair(dir, ca);
    expect(serialToDecimal((await s.get()).certificate)).to.equal(serialToDecimal(b.cert.cert));
  });

  it("keeps using the last good identity while the files are half-written, but reload() reports the problem", async () => {
    const s = source();
    const a = await writePair(dir, ca);
    await s.get();
    await writeFile(join(dir, "tls.crt"), a.cert.pem.slice(0, 100)); // half-written
    expect(serialToDecimal((await s.get()).certificate)).to.equal(serialToDecimal(a.cert.cert));
    const err = await s.reload!().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isIamraError(err), String(err)).to.equal(true);
  });

  it("reports a retryable error when there is no usable identity yet", async () => {
    const s = source();
    const a = await writePair(dir, ca);
    await writeFile(join(dir, "tls.crt"), a.cert.pem.slice(0, 100));
    const err = await s.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isIamraError(err) && err.retryable).to.equal(true);
    expect((err as Error).message).to.not.contain(a.key.slice(40, 80));
  });

  it("does not fall back to a last good certificate that has expired", async () => {
    const s = source();
    await writePair(dir, ca, new Date(Date.UTC(2030, 0, 1, 0, 0, 30))); // valid for 30 s more
    await s.get();
    clock.now = () => Date.UTC(2030, 0, 1, 0, 1, 0);
    await writeFile(join(dir, "tls.key"), "not a key");
    const err = await s.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isIamraError(err) && err.retryable).to.equal(true);
  });

  it("with strict, throws the loader's own error at once, without falling back or marking it retryable", async () => {
    const files = { certificate: join(dir, "tls.crt"), privateKey: join(dir, "tls.key") };
    const strict = createFileIdentitySource(files, { clock, log: silentLogger() }, { strict: true });
    const a = await writePair(dir, ca);
    expect(serialToDecimal((await strict.get()).certificate)).to.equal(serialToDecimal(a.cert.cert));
    await writeFile(join(dir, "tls.crt"), a.cert.pem.slice(0, 100)); // half-written
    const err = await strict.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isIamraError(err), String(err)).to.equal(true);
    expect(isIamraError(err) && err.retryable).to.equal(false);
    expect(isIamraError(err) && err.hint).to.not.contain("Vault Agent");
  });

  describe("watch", () => {
    let watcher: FileWatcher | undefined;
    afterEach(() => watcher?.close());
    const polling = { useFsWatch: false, pollIntervalMs: 20, debounceMs: 40 };

    it("tells of re-rendered files once they load, and get() then uses the new certificate", async () => {
      const s = source();
      const a = await writePair(dir, ca);
      expect(serialToDecimal((await s.get()).certificate)).to.equal(serialToDecimal(a.cert.cert));
      const changes = nextEvent<string[]>();
      watcher = s.watch((changed) => changes.push(changed), polling);
      await watcher.ready;
      const b = await writePair(dir, ca);
      expect((await changes.next()).sort()).to.deep.equal([join(dir, "tls.crt"), join(dir, "tls.key")]);
      expect(serialToDecimal((await s.get()).certificate)).to.equal(serialToDecimal(b.cert.cert));
    });

    it("reports half-written files to onError, not onChange, and tells of them once they are complete", async () => {
      const s = source();
      const a = await writePair(dir, ca);
      await s.get();
      const changes = nextEvent<string[]>();
      const errors = nextEvent<unknown>();
      let told = false;
      const onChange = (changed: string[]) => {
        told = true;
        changes.push(changed);
      };
      watcher = s.watch(onChange, { ...polling, onError: (e) => errors.push(e) });
      await watcher.ready;
      await writeFile(join(dir, "tls.crt"), a.cert.pem.slice(0, 100)); // half-written
      expect(isIamraError(await errors.next())).to.equal(true);
      expect(told, "onChange called for half-written files").to.equal(false);
      await writeFile(join(dir, "tls.crt"), a.cert.pem);
      expect(await changes.next()).to.deep.equal([join(dir, "tls.crt")]);
    });
  });
});
