import { expect } from "chai";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchFiles, type FileWatcher } from "../../../../lib/identity/watchFiles.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(10);
  }
}

const CERT = "-----BEGIN CERTIFICATE-----\nMIIB...complete...\n-----END CERTIFICATE-----\n";

for (const useFsWatch of [true, false]) {
  describe(`watchFiles (${useFsWatch ? "fs.watch + polling" : "polling only"})`, () => {
    let dir: string;
    let cert: string;
    let key: string;
    let watcher: FileWatcher | undefined;
    let calls: Array<{ changed: string[]; content: string }>;

    const start = async (extra: Partial<Parameters<typeof watchFiles>[1]> = {}) => {
      watcher = watchFiles([cert, key], {
        // with fs.watch the poll is slow, so a pass proves the watch worked; without, the poll must do it
        pollIntervalMs: useFsWatch ? 60_000 : 40,
        debounceMs: 80,
        useFsWatch,
        onChange: async (changed) => {
          calls.push({ changed, content: await readFile(cert, "utf8").catch(() => "") });
        },
        ...extra,
      });
      await watcher.ready;
    };

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "iamra-watch-"));
      cert = join(dir, "cert.pem");
      key = join(dir, "key.pem");
      await writeFile(cert, "old cert");
      await writeFile(key, "old key");
      calls = [];
    });
    afterEach(async () => {
      watcher?.close();
      watcher = undefined;
      await rm(dir, { recursive: true, force: true });
    });

    it("reports a file replaced atomically (temp file + rename)", async () => {
      await start();
      await writeFile(join(dir, ".cert.tmp"), CERT);
      await rename(join(dir, ".cert.tmp"), cert);
      await waitFor(() => calls.length > 0);
      expect(calls[0]).to.deep.equal({ changed: [cert], content: CERT });
    });

    it("reports a file rewritten in two steps once, after it settled, with the complete content", async () => {
      // the steps are 30 ms apart: a debounce of 1 s leaves room for a stalled machine
      await start({ debounceMs: 1_000 });
      await writeFile(cert, CERT.slice(0, 20));
      await sleep(30);
      await writeFile(cert, CERT);
      await waitFor(() => calls.length > 0);
      await sleep(200);
      expect(calls).to.deep.equal([{ changed: [cert], content: CERT }]);
    });

    it("offers a half-written file again when onChange throws, until it succeeds", async () => {
      const seen: string[] = [];
      await start({
        pollIntervalMs: 40,
        onChange: async () => {
          const content = await readFile(cert, "utf8");
          seen.push(content);
          if (!content.includes("END CERTIFICATE")) throw new Error("half-written");
        },
      });
      await writeFile(cert, CERT.slice(0, 20));
      await waitFor(() => seen.length >= 2);
      expect(
        seen.every((c) => c === CERT.slice(0, 20)),
        "retried while half-written",
      ).to.equal(true);
      await writeFile(cert, CERT);
      await waitFor(() => seen.at(-1) === CERT);
      const n = seen.length;
      await sleep(300);
      expect(seen.length, "no more calls once handled").to.equal(n);
    });

    it("reports both files when cert and key change together", async () => {
      await start();
      await writeFile(key, "new key");
      await writeFile(cert, CERT);
      // one call for both, or two if the writes were further apart than the debounce
      const changed = () => calls.flatMap((c) => c.changed).sort();
      await waitFor(() => changed().length >= 2);
      expect(changed()).to.deep.equal([cert, key].sort());
    });

    it("reports a file that appears after start, and one that disappears", async () => {
      await rm(cert);
      await start();
      await writeFile(cert, CERT);
      await waitFor(() => calls.length === 1);
      expect(calls[0].changed).to.deep.equal([cert]);
      await rm(key);
      await waitFor(() => calls.length === 2);
      expect(calls[1].changed).to.deep.equal([key]);
    });

    it("stays quiet without changes and stops when the signal aborts", async () => {
      const ac = new AbortController();
      await start({ signal: ac.signal });
      await sleep(200);
      expect(calls).to.deep.equal([]);
      ac.abort();
      await writeFile(cert, CERT);
      await sleep(250);
      expect(calls).to.deep.equal([]);
    });
  });
}
