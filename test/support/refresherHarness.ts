/**
 * Test helper: a devstack with short sessions, scenes (token + output dir) and spawned `iamra-vault refresher`
 * processes.
 */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { startDevstack, type Devstack } from "../../devstack/startDevstack.js";
import { startCli, type LogLine, type RunningCli } from "./startCli.js";
import { podEnvironment } from "../../devstack/podEnvironment.js";

/** The devstack plus everything started on it, closed by close(). */
export interface RefresherHarness {
  stack: Devstack;
  work: string;
  /** Every refresher started, so after() can kill leftovers and every test can search all their logs for secrets. */
  started: RunningCli[];
  close(): Promise<void>;
}

/** Starts a devstack that accepts sessions of seconds, in a temp dir other users can enter (uid tests). */
export async function startRefresherHarness(): Promise<RefresherHarness> {
  const work = await mkdtemp(join(tmpdir(), "iamra-refresher-e2e-"));
  await chmod(work, 0o755);
  const stack = await startDevstack({ portBase: 0, dir: work, minSessionSeconds: 2, tps: 1000 });
  const started: RunningCli[] = [];
  return {
    stack,
    work,
    started,
    close: async () => {
      for (const c of started) c.kill();
      await Promise.all(started.map((c) => c.exited));
      await stack.close();
    },
  };
}

/** One refresher's inputs: a service-account token file, an output dir, and the pod-like environment. */
export interface Scene {
  dir: string;
  out: string;
  saToken: string;
  env: Record<string, string>;
}

let sceneCount = 0;
/** A fresh scene for the devstack's demo service account. */
export async function makeScene(h: RefresherHarness): Promise<Scene> {
  const dir = join(h.work, `scene-${++sceneCount}`);
  const out = join(dir, "out");
  await mkdir(out, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
  // the devstack's own minter (with the audience its Vault requires) when it has one
  const stack = h.stack as Devstack & { mintToken?: Devstack["tokenReview"]["mintToken"] };
  const who = { namespace: h.stack.info.kubernetes.namespace, serviceAccount: h.stack.info.kubernetes.serviceAccount };
  const saToken = stack.mintToken ? stack.mintToken(who) : stack.tokenReview.mintToken(who);
  const saTokenFile = join(dir, "sa-token");
  await writeFile(saTokenFile, saToken, { mode: 0o644 });
  const i = h.stack.info;
  const env: Record<string, string> = {
    ...podEnvironment(i, saTokenFile),
    IAMRA_OUTPUT_DIR: out,
  };
  return { dir, out, saToken, env };
}

/** A running refresher with the URLs and token it announced. */
export interface Refresher {
  cli: RunningCli;
  endpoint: string;
  ops: string;
  tokenFile: string;
  token: string;
  /** GET the credentials endpoint (with the token unless `authorization` is given; null sends none). */
  credentials(authorization?: string | null): Promise<{ status: number; body: Record<string, string> }>;
  /** Status of GET /readyz. */
  readyz(): Promise<number>;
  /** Text of GET /metrics. */
  metrics(): Promise<string>;
  /** Waits for the n-th (1-based) "credentials refreshed" line and returns it. */
  refreshed(n: number, timeoutMs?: number): Promise<LogLine>;
  /** Access key ids of every "credentials refreshed" line so far. */
  keys(): string[];
}

/** Short sessions and random ports on loopback; `args` add to or override them. */
export const SHORT = [
  "--session-duration",
  "6",
  "--min-validity",
  "2s",
  "--endpoint-port",
  "0",
  "--ops-port",
  "0",
  "--ops-host",
  "127.0.0.1",
];

/** Spawns `iamra-vault refresher` for `scene`, waits for "refresher started" and reads the endpoint token. */
export async function startRefresher(
  h: RefresherHarness,
  scene: Scene,
  args: string[] = [],
  opts: { uid?: number; gid?: number; short?: boolean } = {},
): Promise<Refresher> {
  const cli = startCli(["refresher", ...(opts.short === false ? [] : SHORT), ...args], {
    env: scene.env,
    uid: opts.uid,
    gid: opts.gid,
  });
  h.started.push(cli);
  const started = await cli.waitFor((l) => l.msg === "refresher started", {
    timeoutMs: 15_000,
    what: '"refresher started"',
  });
  const endpoint = started.credentialsEndpoint as string;
  const ops = (started.ops as string).replace("://0.0.0.0:", "://127.0.0.1:"); // the wildcard is reached via loopback
  const tokenFile = started.tokenFile as string;
  expect(endpoint, "credentialsEndpoint in the start line").to.match(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
  expect(ops, "ops in the start line").to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  const token = await readFile(tokenFile, "utf8");
  const isRefreshed = (l: LogLine) => l.msg === "credentials refreshed";
  return {
    cli,
    endpoint,
    ops,
    tokenFile,
    token,
    async credentials(authorization) {
      const headers: Record<string, string> = {};
      if (authorization !== null) headers.authorization = authorization ?? token;
      const res = await fetch(endpoint, { headers });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    },
    readyz: async () => {
      const res = await fetch(`${ops}/readyz`);
      await res.arrayBuffer();
      return res.status;
    },
    metrics: async () => (await fetch(`${ops}/metrics`)).text(),
    async refreshed(n, timeoutMs = 15_000) {
      let seen = 0;
      return cli.waitFor((l) => isRefreshed(l) && ++seen === n, { timeoutMs, what: `refresh #${n}` });
    },
    keys: () => cli.lines.filter(isRefreshed).map((l) => l.accessKeyId as string),
  };
}

/**
 * Every secret the devstack handed out or saw: SA tokens of `scenes`, session secrets, Vault tokens used, endpoint
 * tokens.
 */
export function plantedSecrets(h: RefresherHarness, extra: string[] = []): string[] {
  const out = [...extra];
  for (const s of h.stack.sessions.all()) out.push(s.secretAccessKey, s.sessionToken);
  const accessors = new Set(h.stack.vault.requests.map((r) => r.token).filter((t): t is string => !!t));
  for (const a of accessors) {
    const entry = h.stack.vault.state.tokens.lookupAccessor(a);
    if (entry) out.push(entry.id);
  }
  return out.filter((s) => s.length >= 8);
}

/** Asserts that no secret occurs in anything `cli` printed. */
export function expectNoSecretsIn(cli: RunningCli, secrets: string[]): void {
  expect(secrets.length, "there are secrets to look for").to.be.greaterThan(0);
  const text = cli.stdout() + cli.stderr();
  for (const s of secrets) expect(text.includes(s), `a secret (${s.slice(0, 4)}…) appears in the logs`).to.equal(false);
}

/** Sleeps `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One look at a refresher from the app's side: endpoint status and key, /readyz status, at a time. */
export interface Sample {
  atMs: number;
  endpoint: number;
  accessKeyId?: string;
  errorCode?: string;
  readyz: number;
}

/** Samples the endpoint and /readyz every `everyMs` until `until()` is true or `deadlineMs` passes (bounded). */
export async function sampleWhile(
  r: Refresher,
  o: { until: () => boolean; deadlineMs: number; everyMs?: number },
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const end = Date.now() + o.deadlineMs;
  while (!o.until() && Date.now() < end) {
    const atMs = Date.now();
    const [c, readyz] = await Promise.all([r.credentials(), r.readyz()]);
    samples.push({ atMs, endpoint: c.status, accessKeyId: c.body.AccessKeyId, errorCode: c.body.code, readyz });
    await sleep(o.everyMs ?? 150);
  }
  return samples;
}
