import { expect } from "chai";
import { Script } from "node:vm";
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDockerfile, runtimeImage } from "../../support/parseDockerfile.js";
import {
  cliHelpOptions,
  containersOf,
  envValue,
  flagValue,
  isIamraVault,
  kustomizeUnavailableReason,
  loadExample,
  mountFor,
  type Container,
  type HelpOption,
  type K8sObject,
} from "./k8sManifestKit.js";

const VAULT = "vault.hashicorp.com/";
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dockerfile = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
let refresherHelp: Map<string, HelpOption> | undefined;
let initHelp: Map<string, HelpOption> | undefined;

/** The only workload of an example, its pod spec, and its containers split by role. */
function workload(name: string) {
  const ex = loadExample(name);
  const { obj, spec } = ex.workloads[0]!;
  const all = containersOf(spec);
  const byCommand = (cmd: string) => all.filter(({ c }) => isIamraVault(c) && c.args?.[0] === cmd);
  return { ex, obj, spec, init: byCommand("init"), refresher: byCommand("refresher"), apps: all.filter(({ c }) => !isIamraVault(c)) };
}

/** The port number a probe's named or numeric port resolves to in the container. */
function probePort(c: Container, port: string | number): string {
  if (typeof port === "number") return String(port);
  return String(((c.ports ?? []) as K8sObject[]).find((p) => p.name === port)?.containerPort);
}

/** Asserts a refresher runs as a native sidecar gated by a startupProbe on /readyz at its ops port. */
function expectNativeSidecar(name: string): Container {
  const { spec, refresher } = workload(name);
  expect(refresher, "one refresher").to.have.length(1);
  expect(refresher[0]!.init, "refresher is an init container").to.equal(true);
  const c = refresher[0]!.c;
  expect(c.restartPolicy).to.equal("Always");
  const opsPort = flagValue(c.args, "--ops-port", refresherHelp)!;
  expect(c.startupProbe?.httpGet?.path).to.equal("/readyz");
  expect(probePort(c, c.startupProbe.httpGet.port)).to.equal(opsPort);
  expect(c.livenessProbe?.httpGet?.path).to.equal("/healthz");
  expect(probePort(c, c.livenessProbe.httpGet.port)).to.equal(opsPort);
  expect(flagValue(c.args, "--ops-host", refresherHelp), "probes reach the pod IP").to.equal("0.0.0.0");
  expect((spec.containers as Container[]).every((a) => !isIamraVault(a)), "no second refresher as a regular container").to.equal(true);
  return c;
}

describe("k8s examples: start order and delivery mode", function () {
  this.timeout(60_000);

  before(async function () {
    const reason = kustomizeUnavailableReason();
    if (reason) {
      console.warn(`      skipped: ${reason}`);
      this.skip();
    }
    refresherHelp = await cliHelpOptions("refresher");
    initHelp = await cliHelpOptions("init");
    expect(refresherHelp, "iamra-vault refresher is not registered in the built CLI").to.not.equal(undefined);
  });

  it("native-sidecar: refresher is a native sidecar with a startupProbe on /readyz; the app uses the endpoint only", () => {
    const c = expectNativeSidecar("native-sidecar");
    expect(c.args, "no credentials file next to the endpoint").to.include("--no-write-credentials");
    const { apps } = workload("native-sidecar");
    expect(apps.map(({ c: a }) => envValue(a, "AWS_CONTAINER_CREDENTIALS_FULL_URI"))).to.deep.equal(["http://127.0.0.1:9912/credentials"]);
    expect(apps.map(({ c: a }) => envValue(a, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"))).to.deep.equal(["/var/run/iamra/endpoint-token"]);
  });

  it("init-and-sidecar: init runs first as a classic init container, the refresher is the first regular container", () => {
    const { spec, init, refresher } = workload("init-and-sidecar");
    expect(init.map(({ c, init: isInit }) => [isInit, c.restartPolicy])).to.deep.equal([[true, undefined]]);
    expect(refresher.map(({ init: isInit }) => isInit)).to.deep.equal([false]);
    expect((spec.containers as Container[])[0]!.name, "the sidecar is started before the app").to.equal(refresher[0]!.c.name);
    const out = (c: Container, h?: Map<string, HelpOption>) => flagValue(c.args, "--output-dir", h);
    expect(out(init[0]!.c, initHelp)).to.equal(out(refresher[0]!.c, refresherHelp));
    const dir = out(init[0]!.c, initHelp)!;
    expect(mountFor(init[0]!.c, dir)?.name).to.equal(mountFor(refresher[0]!.c, dir)?.name);
  });

  it("init-and-sidecar: the sidecar's postStart hook is valid JavaScript that waits for /readyz on the ops port", () => {
    const c = workload("init-and-sidecar").refresher[0]!.c;
    const command = c.lifecycle?.postStart?.exec?.command as string[];
    // distroless puts no `node` on PATH: the hook must name the binary the image's ENTRYPOINT runs
    expect(command.slice(0, 2)).to.deep.equal([runtimeImage(dockerfile.stages).entrypoint[0], "-e"]);
    expect(() => new Script(command[2]!)).to.not.throw();
    expect(command[2]).to.include(`"http://127.0.0.1:${flagValue(c.args, "--ops-port", refresherHelp)}/readyz"`);
    expect(command[2]).to.match(/process\.exit\(1\)/);
  });

  it("job: init only (a classic sidecar would keep the Job from completing); the app reads the credentials file", () => {
    const { ex, obj, spec, init, refresher, apps } = workload("job");
    expect(obj.kind).to.equal("Job");
    expect(refresher, "no refresher in a Job").to.have.length(0);
    expect(init).to.have.length(1);
    expect(init[0]!.c.restartPolicy).to.equal(undefined);
    expect(["Never", "OnFailure"]).to.include(spec.restartPolicy);
    const file = posix.join(flagValue(init[0]!.c.args, "--output-dir", initHelp)!, "credentials");
    expect(init[0]!.c.args).to.not.include("--no-write-credentials");
    for (const { c } of apps) {
      expect(envValue(c, "AWS_SHARED_CREDENTIALS_FILE")).to.equal(file);
      expect(envValue(c, "AWS_CONTAINER_CREDENTIALS_FULL_URI")).to.equal(undefined);
      expect(mountFor(c, file)?.readOnly).to.equal(true);
    }
    const session = Number(flagValue(init[0]!.c.args, "--session-duration") ?? [...ex.configMaps.values()][0]?.IAMRA_SESSION_DURATION ?? 3600);
    expect(obj.spec.activeDeadlineSeconds, "the Job ends before its credentials expire").to.be.a("number").below(session);
  });

  it("gives every refresher the image's NODE_OPTIONS plus --jitless, and no other container --jitless", () => {
    const image = runtimeImage(dockerfile.stages).env.NODE_OPTIONS!;
    expect(image, "the image itself does not set --jitless for every command").to.not.include("--jitless");
    let refreshers = 0;
    for (const name of ["init-and-sidecar", "job", "native-sidecar", "vault-agent"]) {
      const { init, refresher, apps } = workload(name);
      for (const { c } of refresher) {
        refreshers++;
        expect(envValue(c, "NODE_OPTIONS"), `${name} ${c.name}`).to.equal(`${image} --jitless`);
      }
      for (const { c } of [...init, ...apps]) {
        expect(envValue(c, "NODE_OPTIONS") ?? "", `${name} ${c.name}`).to.not.include("--jitless");
      }
    }
    expect(refreshers, "refresher containers in the examples").to.equal(3);
  });

  describe("vault-agent", () => {
    const annotations = () => workload("vault-agent").obj.spec.template.metadata.annotations as Record<string, string>;
    const secretDir = () => annotations()[`${VAULT}secret-volume-path`] ?? "/vault/secrets";

    it("runs the refresher as a native sidecar after vault-agent-init, in files mode", () => {
      const c = expectNativeSidecar("vault-agent");
      expect(flagValue(c.args, "--identity-source", refresherHelp)).to.equal("files");
      expect(annotations()[`${VAULT}agent-inject`]).to.equal("true");
      expect(annotations()[`${VAULT}agent-init-first`], "vault-agent-init must precede the native sidecar").to.equal("true");
      expect(annotations()[`${VAULT}role`]).to.be.a("string").and.not.equal("");
      expect(c.args.some((a: string) => a.startsWith("--sa-token-file")), "files mode does not log in to Vault").to.equal(false);
    });

    it("reads --certificate/--private-key/--intermediates from files the injector renders", () => {
      const c = workload("vault-agent").refresher[0]!.c;
      for (const flag of ["--certificate", "--private-key", "--intermediates"]) {
        const path = flagValue(c.args, flag)!;
        expect(posix.dirname(path), flag).to.equal(secretDir());
        expect(annotations(), flag).to.have.property(`${VAULT}agent-inject-secret-${posix.basename(path)}`);
        expect(annotations()[`${VAULT}agent-inject-perms-${posix.basename(path)}`], `${flag} not world-readable`).to.match(/^0?[0-7][0-7]0$/);
      }
    });

    it("renders certificate and key with ONE pkiCert template; the chain is read, not issued again", () => {
      const c = workload("vault-agent").refresher[0]!.c;
      const cert = posix.basename(flagValue(c.args, "--certificate")!);
      expect(flagValue(c.args, "--private-key"), "pkiCert caches per file: key and certificate share it").to.equal(flagValue(c.args, "--certificate"));
      const path = annotations()[`${VAULT}agent-inject-secret-${cert}`]!;
      expect(path).to.match(/\/issue\/[^/]+$/);
      const template = annotations()[`${VAULT}agent-inject-template-${cert}`]!;
      expect(template).to.include(`pkiCert "${path}"`);
      expect(template).to.match(/\.Cert\b/).and.match(/\.Key\b/);
      const chain = posix.basename(flagValue(c.args, "--intermediates")!);
      const chainTemplate = annotations()[`${VAULT}agent-inject-template-${chain}`]!;
      expect(chainTemplate).to.not.match(/pkiCert|\/issue\//);
      expect(chainTemplate).to.match(/with secret "[^"]+\/cert\/ca_chain"/);
    });

    it("names the certificate after the pod's verified service account and namespace, not hard-coded ones", () => {
      const c = workload("vault-agent").refresher[0]!.c;
      const file = posix.basename(flagValue(c.args, "--certificate")!);
      const template = annotations()[`${VAULT}agent-inject-template-${file}`]!;
      expect(template).to.match(/with secret "auth\/token\/lookup-self"/);
      expect(template).to.include(".Data.meta.service_account_namespace");
      expect(template).to.include(".Data.meta.service_account_name");
      expect(template).to.include('"uri_sans=spiffe://cluster.local/ns/%s/sa/%s" $ns $sa');
      expect(template).to.include('pkiCert "pki/issue/app" $cn $uri');
      expect(template, "no literal namespace").to.not.match(/\/ns\/[a-z0-9-]+\//);
      expect(template).to.not.match(/common_name=[a-z0-9-]+\.[a-z0-9-]+"/);
    });

    it("keeps /vault/secrets away from the app and lets the refresher read it through the fsGroup", () => {
      const { spec, apps } = workload("vault-agent");
      const listed = (annotations()[`${VAULT}agent-inject-containers`] ?? "").split(",");
      for (const { c } of apps) expect(listed, `${c.name} would get the private key`).to.not.include(c.name);
      expect(annotations()[`${VAULT}agent-inject-containers`], "unset means every container").to.be.a("string");
      expect(Number(annotations()[`${VAULT}agent-run-as-group`])).to.equal(spec.securityContext.fsGroup);
    });

    it("gives the agent a projected token with an audience that no container of ours mounts", () => {
      const { spec } = workload("vault-agent");
      const name = annotations()[`${VAULT}agent-service-account-token-volume-name`];
      const volume = ((spec.volumes ?? []) as K8sObject[]).find((v) => v.name === name);
      const token = volume?.projected?.sources?.find((s: K8sObject) => s.serviceAccountToken)?.serviceAccountToken;
      expect(token?.audience).to.be.a("string").and.not.equal("");
      for (const { c } of containersOf(spec)) {
        expect(((c.volumeMounts ?? []) as K8sObject[]).map((m) => m.name), c.name).to.not.include(name);
      }
    });
  });
});
