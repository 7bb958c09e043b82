import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../dist/bin/", import.meta.url));

/** The npm packages bundled into one file, from the `// …/node_modules/<package>/<file>` lines esbuild writes. */
async function packagesIn(file: string): Promise<Set<string>> {
  const text = await readFile(join(BIN, file), "utf8");
  return new Set([...text.matchAll(/^\/\/ \S*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm)].map((m) => m[1]!));
}

/** Which bundle files of dist/bin/ hold `pkg`. */
async function filesHolding(pkg: string): Promise<string[]> {
  const files = (await readdir(BIN)).filter((f) => f.endsWith(".cjs")).sort();
  const held: string[] = [];
  for (const file of files) if ((await packagesIn(file)).has(pkg)) held.push(file);
  return held;
}

/** The built CLI (npm run build first): which packages each lazily loaded file carries. */
describe("dist/bin (the bundled CLI)", () => {
  for (const pkg of ["@peculiar/x509", "reflect-metadata"]) {
    it(`ships ${pkg} in no file: certificate requests are written with node:crypto`, async () => {
      expect(await filesHolding(pkg)).to.deep.equal([]);
    });
  }

  for (const pkg of ["@peculiar/asn1-schema", "asn1js"]) {
    it(`ships ${pkg} only in loadPkcs12.cjs, loaded for PKCS#12 files (the check above can fail)`, async () => {
      expect(await filesHolding(pkg)).to.deep.equal(["loadPkcs12.cjs"]);
    });
  }
});
