/** What the init end-to-end tests share: a devstack, a fresh scene per test, and secret checks on a run's output. */
import { expect } from "chai";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { podEnvironment } from "../../devstack/podEnvironment.js";
import type { CliRun } from "../support/runCli.js";

/** A credentials file with two profiles that a failed or partial init must leave byte for byte. */
export const PRECIOUS =
  "[default]\naws_access_key_id = AKIAOLDOLDOLDOLDOLD\naws_secret_access_key = old\n\n[keep-me]\naws_access_key_id = AKIAKEEP\n";

/** What a scene may change: the token's namespace, service account and lifetime, an existing credentials file. */
export interface SceneOptions {
  namespace?: string;
  serviceAccount?: string;
  /** The token's lifetime, ms; negative for a token that has already expired. */
  ttlMs?: number;
  existing?: string;
}

/** A devstack shared by a describe's tests, and fresh scenes on it. */
export interface InitDevstack {
  /** Set once the `before` hook ran. */
  readonly stack: Devstack;
  /** The temp dir holding the devstack and every scene. */
  readonly work: string;
  /** A fresh output dir (optionally with a pre-existing credentials file) and a token file for namespace/sa. */
  scene(o?: SceneOptions): Promise<InitScene>;
}

/** One test's directories, token and the environment init runs with. */
export interface InitScene {
  dir: string;
  out: string;
  tmp: string;
  token: string;
  tokenFile: string;
  env: Record<string, string>;
}

/** Registers the hooks (call inside a describe) that start a devstack before its tests and close it after. */
export function initDevstack(): InitDevstack {
  let stack: Devstack;
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), "iamra-init-e2e-"));
    stack = await startDevstack({ portBase: 0, dir: work, tps: 1000 });
  });
  after(async () => stack?.close());

  let n = 0;
  async function scene(o: SceneOptions = {}): Promise<InitScene> {
    const dir = join(work, `case-${++n}`);
    const out = join(dir, "out");
    const tmp = join(dir, "tmp");
    await mkdir(out, { recursive: true });
    await mkdir(tmp, { recursive: true });
    const tokenFile = join(dir, "token");
    const token = stack.tokenReview.mintToken({
      namespace: o.namespace ?? "demo",
      serviceAccount: o.serviceAccount ?? "app",
      ttlMs: o.ttlMs,
    });
    await writeFile(tokenFile, token, { mode: 0o644 });
    if (o.existing !== undefined) await writeFile(join(out, "credentials"), o.existing);
    const info = stack.info;
    const env: Record<string, string> = {
      ...podEnvironment(info, tokenFile),
      IAMRA_OUTPUT_DIR: out,
      TMPDIR: tmp,
    };
    return { dir, out, tmp, token, tokenFile, env };
  }
  return {
    get stack() {
      return stack;
    },
    get work() {
      return work;
    },
    scene,
  };
}

/** Secrets that must never appear in any output of a run. */
export function expectNoSecrets(run: CliRun, secrets: string[]) {
  for (const s of secrets) {
    expect(run.stdout, "stdout").to.not.contain(s);
    expect(run.stderr, "stderr").to.not.contain(s);
  }
}
