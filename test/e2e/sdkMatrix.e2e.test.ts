/**
 * Every client × every delivery, each app with exactly the environment an example manifest or the webhook gives it
 * (paths under a temp dir, 127.0.0.1 ports onto the test's), each calling GetCallerIdentity on the STS stand-in, which
 * verifies the SigV4 signature.
 */
import { expect } from "chai";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import fastJsonPatch from "fast-json-patch";
import { reviewAdmission } from "../../lib/webhook/reviewAdmission.js";
import { testInjectionDefaults } from "../support/injectionDefaults.js";
import type { Pod } from "../../lib/webhook/podTypes.js";
import {
  containersOf,
  isIamraVault,
  kustomizeUnavailableReason,
  loadExample,
} from "../integration/k8s/k8sManifestKit.js";
import {
  makeScene,
  startRefresher,
  startRefresherHarness,
  type Refresher,
  type RefresherHarness,
} from "../support/refresherHarness.js";
import { containerEnvironment, mapPodArgs, type PodContainer } from "../support/podAppEnvironment.js";
import {
  getCallerIdentityWith,
  SDK_CLIENTS,
  type CallOutcome,
  type SdkClient,
} from "../support/getCallerIdentityWith.js";
import { CLI_PATH, runCli } from "../support/runCli.js";
import { throwawayCredentialProcessArgs } from "../../devstack/throwawayCredentialProcessArgs.js";

/** One way credentials reach the app, with where its environment comes from. */
interface Delivery {
  name: string;
  source: string;
  env: Record<string, string>;
  /** The role the caller ARN must name. */
  roleArn: string;
  /** The access key the STS stand-in must see: the one delivered, or (credential_process) any of that role. */
  expectedKey?: string;
  /** The refresher serving it, if any. */
  refresher?: Refresher;
}

/** A cell that cannot work by design, and how it fails. */
const BY_DESIGN: Partial<Record<string, { why: string; check(o: CallOutcome): void }>> = {
  "container endpoint|botocore 1.29": {
    why: "no AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE support: asks without a token, gets 401; IMDS is its way",
    check(o) {
      expect(o.code, o.stderr).to.not.equal(0);
      expect(o.stderr)
        .to.match(/CredentialRetrievalError/)
        .and.match(/container-role/)
        .and.match(/\b401\b/);
    },
  },
};

/** The app container (not an iamra-vault one) and the iamra-vault container running `command` of a pod spec. */
function roles(spec: Record<string, any>, command: string): { app: PodContainer; iamra: PodContainer } {
  const all = containersOf(spec).map(({ c }) => c as PodContainer);
  const apps = all.filter((c) => !isIamraVault(c as never));
  const iamra = all.filter((c) => isIamraVault(c as never) && c.args?.[0] === command);
  expect(
    apps.map((c) => c.name),
    "one app container",
  ).to.have.length(1);
  expect(
    iamra.map((c) => c.name),
    `one iamra-vault ${command} container`,
  ).to.have.length(1);
  return { app: apps[0]!, iamra: iamra[0]! };
}

/** Webhook defaults for a test pod; the refresher's settings come from the devstack instead. */
const WEBHOOK_DEFAULTS = testInjectionDefaults([]);

/** The pod the webhook makes of a plain app pod with `annotations`. */
async function webhookPod(annotations: Record<string, string>): Promise<Pod> {
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "app", namespace: "demo", annotations: { "iamra-vault/inject": "true", ...annotations } },
    spec: { serviceAccountName: "app", containers: [{ name: "app", image: "app" }] },
  } as Pod;
  const result = await reviewAdmission(
    {
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      request: { uid: "sdk-matrix", kind: { group: "", version: "v1", kind: "Pod" }, operation: "CREATE", object: pod },
    },
    { defaults: WEBHOOK_DEFAULTS },
  );
  expect(result.outcome, result.reason).to.equal("injected");
  const ops = JSON.parse(Buffer.from(result.review.response.patch!, "base64").toString("utf8"));
  return fastJsonPatch.applyPatch(structuredClone(pod), ops, true, false).newDocument as Pod;
}

describe("AWS SDKs × credential deliveries (end to end on the devstack)", function () {
  this.timeout(180_000);
  let h: RefresherHarness;
  const deliveries: Delivery[] = [];
  const table: string[][] = [];
  let webhookParity: { injected: Record<string, string>; example: Record<string, string> } | undefined;

  /** Starts the refresher of a pod's iamra-vault container (its args, mapped) for a new scene under `root`. */
  async function podRefresher(iamra: PodContainer, root: string): Promise<Refresher> {
    const scene = await makeScene(h);
    const args = mapPodArgs(iamra.args!, root);
    const saTokenFile = args.find((a) => a.startsWith("--sa-token-file="))!.split("=")[1]!;
    await mkdir(dirname(saTokenFile), { recursive: true });
    await writeFile(saTokenFile, scene.saToken);
    // the manifests' ops port listens on the pod IP; here it stays on loopback
    const r = await startRefresher(h, scene, [...args.slice(1), "--ops-host=127.0.0.1"], { short: false });
    const deadline = Date.now() + 30_000;
    while ((await r.readyz()) !== 200 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    expect(await r.readyz(), "the refresher holds credentials").to.equal(200);
    return r;
  }

  before(async function () {
    const reason = kustomizeUnavailableReason();
    if (reason) throw new Error(`the matrix renders the examples: ${reason}`);
    h = await startRefresherHarness();
    const info = h.stack.info;

    // credentials file: the Job example, after its init container ran
    {
      const root = join(h.work, "pod-job");
      const ex = loadExample("job");
      const { app, iamra } = roles(ex.workloads[0]!.spec, "init");
      const scene = await makeScene(h);
      const args = mapPodArgs(iamra.args!, root);
      const saTokenFile = args.find((a) => a.startsWith("--sa-token-file="))!.split("=")[1]!;
      await mkdir(dirname(saTokenFile), { recursive: true });
      await writeFile(saTokenFile, scene.saToken);
      const init = await runCli(args, { env: scene.env, timeoutMs: 60_000 });
      expect(init.code, init.stderr).to.equal(0);
      const env = containerEnvironment(app, ex.configMaps, { root, ports: {} });
      await mkdir(env.HOME!, { recursive: true });
      const creds = await readFile(env.AWS_SHARED_CREDENTIALS_FILE!, "utf8");
      deliveries.push({
        name: "credentials file",
        source: "k8s/examples/job",
        env,
        roleArn: info.rolesAnywhere.roleArn,
        expectedKey: /^aws_access_key_id\s*=\s*(\S+)/m.exec(creds)![1],
      });
    }

    // container endpoint: the native-sidecar example
    {
      const root = join(h.work, "pod-native-sidecar");
      const ex = loadExample("native-sidecar");
      const { app, iamra } = roles(ex.workloads[0]!.spec, "refresher");
      const r = await podRefresher(iamra, root);
      const env = containerEnvironment(app, ex.configMaps, { root, ports: { 9912: Number(new URL(r.endpoint).port) } });
      await mkdir(env.HOME!, { recursive: true });
      deliveries.push({
        name: "container endpoint",
        source: "k8s/examples/native-sidecar",
        env,
        roleArn: info.rolesAnywhere.roleArn,
        expectedKey: (await r.credentials()).body.AccessKeyId,
        refresher: r,
      });
      // the webhook's default pod must give its app the same variables (the manifests are its reference)
      const injected = roles((await webhookPod({})).spec as never, "refresher").app;
      const injectedEnv = containerEnvironment(injected, new Map(), { root, ports: { 9912: 1 } });
      const exampleEnv = containerEnvironment(app, ex.configMaps, { root, ports: { 9912: 1 } });
      delete exampleEnv.HOME;
      webhookParity = { injected: injectedEnv, example: exampleEnv };
    }

    // credential_process: an AWS config file naming the built CLI, with the devstack's throwaway certificate files
    {
      const root = join(h.work, "app-credential-process");
      const t = info.throwaway;
      const command = [process.execPath, CLI_PATH, ...throwawayCredentialProcessArgs(info)].join(" ");
      const env = { AWS_CONFIG_FILE: join(root, "config"), HOME: join(root, "home") };
      await mkdir(env.HOME, { recursive: true });
      await writeFile(env.AWS_CONFIG_FILE, `[default]\nregion = ${info.region}\ncredential_process = ${command}\n`);
      deliveries.push({ name: "credential_process", source: "README (credential-process)", env, roleArn: t.roleArn });
    }

    // IMDS: the webhook's pod with iamra-vault/imds: only
    {
      const root = join(h.work, "pod-webhook-imds");
      const pod = await webhookPod({ "iamra-vault/imds": "only" });
      const { app, iamra } = roles(pod.spec as never, "refresher");
      const r = await podRefresher(iamra, root);
      const imds = r.cli.lines.find((l) => l.msg === "refresher started")?.imds as string;
      expect(imds, "the refresher serves IMDS").to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ports = { 9911: Number(new URL(imds).port), 9912: Number(new URL(r.endpoint).port) };
      const env = { ...containerEnvironment(app, new Map(), { root, ports }), HOME: join(root, "home") };
      await mkdir(env.HOME, { recursive: true });
      deliveries.push({
        name: "IMDS",
        source: "webhook, iamra-vault/imds: only",
        env,
        roleArn: info.rolesAnywhere.roleArn,
        expectedKey: (await r.credentials()).body.AccessKeyId,
        refresher: r,
      });
    }
  });

  after(async () => {
    if (table.length) {
      const rows = table.map((r) => `| ${r.join(" | ")} |`);
      console.log(["", "| delivery (environment from) | client | result |", "|---|---|---|", ...rows].join("\n      "));
    }
    await h?.close();
  });

  it("gives each app only the variables of its delivery (no keys in the environment, one credential source)", () => {
    const names = (d: Delivery) => Object.keys(d.env).sort();
    expect(deliveries.map((d) => [d.name, names(d)])).to.deep.equal([
      ["credentials file", ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HOME"]],
      [
        "container endpoint",
        [
          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI",
          "AWS_DEFAULT_REGION",
          "AWS_REGION",
          "HOME",
        ],
      ],
      ["credential_process", ["AWS_CONFIG_FILE", "HOME"]],
      [
        "IMDS",
        [
          "AWS_DEFAULT_REGION",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
          "AWS_REGION",
          "HOME",
        ],
      ],
    ]);
  });

  it("the webhook gives an app by default the same endpoint variables as the native-sidecar example", () => {
    expect(webhookParity?.injected).to.deep.equal(webhookParity?.example);
  });

  for (const deliveryName of ["credentials file", "container endpoint", "credential_process", "IMDS"]) {
    for (const client of SDK_CLIENTS) {
      const byDesign = BY_DESIGN[`${deliveryName}|${client}`];
      const title = byDesign
        ? `${deliveryName} × ${client}: fails as designed (${byDesign.why})`
        : `${deliveryName} × ${client}: GetCallerIdentity signed with the delivered credentials`;
      it(title, async () => {
        const d = deliveries.find((x) => x.name === deliveryName)!;
        const seen = h.stack.sts.requests.length;
        const linesBefore = d.refresher?.cli.lines.length ?? 0;
        const out = await call(client, d);
        const sts = h.stack.sts.requests.slice(seen);
        if (byDesign) {
          byDesign.check(out);
          expect(sts, "no STS call without credentials").to.deep.equal([]);
          await d.refresher!.cli.waitFor(
            (l) => l.msg === "rejected request without a valid token" && l.hasAuthorization === false,
            { from: linesBefore, timeoutMs: 10_000, what: "the endpoint's log of a request without a token" },
          );
          table.push([`${d.name} (${d.source})`, client, "fails as designed: HTTP 401, no token sent"]);
          return;
        }
        expect(out.code, out.stderr).to.equal(0);
        const roleName = d.roleArn.split("/").pop()!;
        expect(out.arn).to.match(new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/${roleName}/.+`));
        expect(
          sts.map((r) => [r.action, r.status]),
          "the STS stand-in verified one call",
        ).to.deep.equal([["GetCallerIdentity", 200]]);
        const key = sts[0]!.accessKeyId!;
        if (d.expectedKey) expect(key, "signed with the delivered key").to.equal(d.expectedKey);
        else expect(h.stack.sessions.lookup(key)?.roleArn, "a session of its role").to.equal(d.roleArn);
        table.push([`${d.name} (${d.source})`, client, `ok: ${roleName}, ${key.slice(0, 8)}…`]);
      });
    }
  }

  /** One call; a failure is recorded in the table before it fails the test. */
  async function call(client: SdkClient, d: Delivery): Promise<CallOutcome> {
    const out = await getCallerIdentityWith(client, d.env, h.stack.sts.url);
    if (out.code !== 0 && !BY_DESIGN[`${d.name}|${client}`]) {
      table.push([`${d.name} (${d.source})`, client, `FAILED (exit ${out.code})`]);
    }
    return out;
  }
});
