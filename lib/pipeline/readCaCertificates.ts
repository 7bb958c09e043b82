import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { checkCertificateShape } from "../x509/checkCertificateShape.js";
import { readPemBlocks, type PemBlock } from "../x509/readPemBlocks.js";

/** File access for CA settings (injected by the command). */
export interface CaFileReader {
  readFile: (path: string) => Promise<string>;
  readDir: (path: string) => Promise<string[]>;
}

/** The errno code of a file-system failure, else its message. */
function reason(cause: unknown): string {
  return (cause as { code?: string }).code ?? (cause as Error).message;
}

/** A CA setting that cannot be used: exit 2 at start-up, before any TLS handshake could fail on it. */
function caError(setting: string, path: string, problem: string, cause?: unknown): ConfigError {
  return new ConfigError({
    code: "CA_CERT_INVALID",
    message: `${setting} ${path} ${problem}`,
    hint: `point ${setting} at a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----)`,
    details: { setting, path },
    cause,
  });
}

/**
 * Reads a PEM file of CA certificates named by `setting` and returns its text, checked before any connection: at least
 * one block, every block a CERTIFICATE closed by its END line, and its base64 decoding to one DER value shaped as a
 * certificate with nothing after it (checkCertificateShape: the element headers, not the values). That refuses another
 * file, a key, a cut copy and damage that breaks the base64 or the certificate's outer structure, which TLS would not
 * report: Node's TLS skips an unreadable block silently, and every block after it. Damage deeper inside a certificate
 * passes here; TLS then skips that block and the ones after it, and the connection fails on an untrusted certificate.
 * The certificates themselves are not parsed here (for the 144 of a system bundle, that cost 9 to 30 ms of CPU at
 * every start): TLS parses them when it connects, once per process (caSecureContext). Throws ConfigError
 * CA_CERT_INVALID when the file is missing or unusable.
 */
export async function readCaFile(io: Pick<CaFileReader, "readFile">, path: string, setting: string): Promise<string> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (cause) {
    throw caError(setting, path, `cannot be read (${reason(cause)})`, cause);
  }
  const blocks = readPemBlocks(text);
  if (blocks.length === 0) throw caError(setting, path, "holds no PEM certificate");
  blocks.forEach((block, i) => {
    if (block.label !== "CERTIFICATE") {
      throw caError(setting, path, `holds a "${block.label}" block (block ${i + 1}), not a certificate`);
    }
    try {
      checkCertificateShape(block.der);
    } catch (cause) {
      throw caError(setting, path, `holds an unreadable certificate (block ${i + 1})`, cause);
    }
  });
  const open = unterminatedBlock(text, blocks);
  if (open !== undefined) throw caError(setting, path, `holds a PEM block without its END line (block ${open})`);
  return text;
}

/** The number of the first BEGIN line (counted from 1) that opens no complete block, as a file cut short leaves. */
function unterminatedBlock(text: string, blocks: PemBlock[]): number | undefined {
  const starts = new Set<number>();
  let from = 0;
  for (const block of blocks) {
    from = text.indexOf(block.text, from);
    starts.add(from);
    from += block.text.length;
  }
  let n = 0;
  for (const begin of text.matchAll(/^-----BEGIN /gm)) {
    n++;
    if (!starts.has(begin.index)) return n;
  }
  return undefined;
}

/** Every *.pem and *.crt file of a CA directory (VAULT_CAPATH), checked like readCaFile, concatenated in name order. */
export async function readCaDirectory(io: CaFileReader, dir: string, setting: string): Promise<string> {
  let names: string[];
  try {
    names = (await io.readDir(dir)).filter((n) => /\.(pem|crt)$/.test(n)).sort();
  } catch (cause) {
    throw caError(setting, dir, `cannot be listed (${reason(cause)})`, cause);
  }
  if (names.length === 0) throw caError(setting, dir, "holds no .pem or .crt file");
  const pems = await Promise.all(names.map((n) => readCaFile(io, join(dir, n), setting)));
  return pems.join("\n");
}
