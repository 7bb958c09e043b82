/** Test helper: an offline root CA made with openssl, and the dev config switched to an external signer. */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEV_CONFIG_TEXT } from "./vaultConfigKit.js";

const run = promisify(execFile);
const openssl = (args: string[]) => run("openssl", args);

/** The dev config with an external signer instead of the root mount. */
export const EXTERNAL_CONFIG_TEXT = DEV_CONFIG_TEXT.replace(
  / {4}signedBy:\n(?: {6}.*\n)+/,
  "    signedBy:\n      type: external\n",
);

/** An offline root made with openssl in `dir`: root.pem + root.key; sign() turns a CSR into a CA certificate. */
export async function makeOfflineRoot(
  dir: string,
  name = "root",
): Promise<{ pem: string; sign(csrPem: string): Promise<string> }> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  await openssl([
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "3650",
    "-subj",
    `/CN=Example Org Offline ${name}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  let serial = 1;
  return {
    pem: await readFile(cert, "utf8"),
    async sign(csrPem) {
      const csr = join(dir, `int-${serial}.csr`);
      const out = join(dir, `int-${serial}.pem`);
      const ext = join(dir, `int-${serial}.ext`);
      await writeFile(csr, csrPem);
      await writeFile(
        ext,
        "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
      );
      await openssl([
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        cert,
        "-CAkey",
        key,
        "-set_serial",
        String(1000 + serial++),
        "-days",
        "1825",
        "-sha256",
        "-extfile",
        ext,
        "-out",
        out,
      ]);
      return readFile(out, "utf8");
    },
  };
}
