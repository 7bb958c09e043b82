import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix, relative } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap, ServiceAccount } from "kubernetes-models/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import {
  containersOf,
  effectiveEnvNames,
  envValue,
  exampleNames,
  flagValue,
  flagsUsed,
  isIamraVault,
  K8S_DIR,
  loadExample,
  renderKustomization,
  mountFor,
  type Container,
  type K8sObject,
} from "./k8sManifestKit.js";
import { commandHelp, EXAMPLES, exampleViews, helpOf, readCliHelpFirst, WITH_INIT } from "./manifestExamples.js";
import { runCli } from "../../support/runCli.js";

type Model = new (data: never) => { validate(): void };
const MODELS: Record<string, Model> = {
  "v1/ServiceAccount": ServiceAccount as unknown as Model,
  "v1/ConfigMap": ConfigMap as unknown as Model,
  "apps/v1/Deployment": Deployment as unknown as Model,
  "batch/v1/Job": Job as unknown as Model,
  "rbac.authorization.k8s.io/v1/Role": Role as unknown as Model,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding as unknown as Model,
};
/** What an iamra-vault refresher serves: endpoint port and path, and where it writes the endpoint token. */
function endpointOf(c: Container): { port: string; path: string; tokenFile: string } {
  const h = helpOf(c);
  const args = c.args as string[];
  const outputDir = flagValue(args, "--output-dir", h)!;
  return {
    port: flagValue(args, "--endpoint-port", h)!,
    path: flagValue(args, "--endpoint-path", h)!,
    tokenFile: flagValue(args, "--endpoint-token-file") ?? posix.join(outputDir, "endpoint-token"),
  };
}

describe("k8s manifests (kubectl kustomize + kubernetes-models)", function () {
  this.timeout(60_000);
  readCliHelpFirst();

  it("has exactly the documented examples", () => {
    expect(exampleNames()).to.deep.equal(EXAMPLES);
  });

  it("parses the built CLI's --help (init and refresher are registered, defaults are read)", () => {
    expect(commandHelp("init")?.get("--output-dir")?.default).to.equal("/var/run/iamra");
    expect(commandHelp("init")?.get("--trust-anchor-arn")?.env).to.include("IAMRA_TRUST_ANCHOR_ARN");
    expect(commandHelp("refresher"), "iamra-vault refresher is not registered in dist/cli").to.not.equal(undefined);
    expect(commandHelp("refresher")?.get("--endpoint-port")?.default).to.equal("9912");
  });

  it("schema validation rejects broken objects (the validator is active)", () => {
    const dep = structuredClone(loadExample("native-sidecar").workloads[0]!.obj);
    dep.spec.template.spec.initContainers[0].restartPolicy = 1;
    expect(() => new Deployment(dep).validate()).to.throw(/restartPolicy must be string/);
    const noContainers = structuredClone(loadExample("job").workloads[0]!.obj);
    delete noContainers.spec.template.spec.containers;
    expect(() => new Job(noContainers).validate()).to.throw(/containers/);
  });

  it("renders the overlay documented in k8s/README.md: ConfigMap merged, namespace and image replaced", async () => {
    const readme = await readFile(join(K8S_DIR, "README.md"), "utf8");
    const overlay = /```yaml\n# my-overlay\/kustomization.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(overlay, "overlay example in k8s/README.md").to.be.a("string");
    const dir = await mkdtemp(join(tmpdir(), "iamra-overlay-"));
    try {
      const example = relative(dir, join(K8S_DIR, "examples/native-sidecar"));
      await writeFile(join(dir, "kustomization.yaml"), overlay!.replace("../k8s/examples/native-sidecar", example));
      const objects = renderKustomization(dir);
      const cm = objects.find((o) => o.kind === "ConfigMap")!;
      expect(cm.data.VAULT_ADDR).to.equal("https://vault.internal:8200");
      expect(cm.data.IAMRA_PKI_MOUNT, "merge keeps the base keys").to.equal("pki");
      expect(objects.every((o) => o.metadata.namespace === "payments")).to.equal(true);
      const dep = objects.find((o) => o.kind === "Deployment")!;
      const images = containersOf(dep.spec.template.spec)
        .filter(({ c }) => isIamraVault(c))
        .map(({ c }) => c.image);
      expect(images).to.deep.equal(["registry.internal/iamra-vault:0.1.0"]);
      expect(dep.spec.template.spec.initContainers[0].envFrom[0].configMapRef.name).to.equal(cm.metadata.name);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const name of EXAMPLES) {
    describe(name, () => {
      const { ex, each, apps, iamra } = exampleViews(name);

      it("renders only objects that validate against the Kubernetes OpenAPI schemas", () => {
        expect(ex().workloads.length).to.equal(1);
        for (const obj of ex().objects) {
          const key = `${obj.apiVersion}/${obj.kind}`;
          expect(MODELS[key], `no schema model for ${key}`).to.not.equal(undefined);
          expect(() => new MODELS[key]!(obj as never).validate(), `${key} ${obj.metadata?.name}`).to.not.throw();
        }
      });

      it("references only ConfigMaps and keys that it renders", () => {
        each((c) => {
          for (const f of c.envFrom ?? [])
            expect(ex().configMaps.has(f.configMapRef?.name), `${c.name} envFrom`).to.equal(true);
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.configMapKeyRef;
            if (ref) expect(ex().configMaps.get(ref.name), `${c.name} ${e.name}`).to.have.property(ref.key);
          }
        });
      });

      it("passes iamra-vault only flags, and ConfigMap env names, that the built CLI's --help lists", () => {
        expect(iamra().length).to.be.above(0);
        for (const { c } of iamra()) {
          expect(["init", "refresher"], `${c.name} command`).to.include(c.args?.[0]);
          const options = helpOf(c);
          for (const flag of flagsUsed(c.args)) expect([...options.keys()], `${c.name} ${c.args[0]}`).to.include(flag);
          // NODE_OPTIONS is read by Node itself (the refresher's V8 flags), not by the CLI
          const known = new Set([...[...options.values()].flatMap((o) => o.env), "NODE_OPTIONS"]);
          for (const envName of effectiveEnvNames(c, ex().configMaps)) {
            expect(known.has(envName), `${c.name}: ${envName} is not an environment name of ${c.args[0]}`).to.equal(
              true,
            );
          }
        }
      });

      if (WITH_INIT.includes(name))
        it("resolves the init container's args + ConfigMap as a valid configuration (exit 1 at the token, not 2)", async () => {
          const inits = iamra().filter(({ c }) => c.args[0] === "init");
          expect(inits).to.have.length(1);
          for (const { c } of inits) {
            const tokenFile = flagValue(c.args, "--sa-token-file")!;
            expect(existsSync(tokenFile), `${tokenFile} exists on this machine`).to.equal(false);
            const envFrom = (c.envFrom ?? []) as K8sObject[];
            const env = Object.assign({}, ...envFrom.map((f) => ex().configMaps.get(f.configMapRef.name)));
            // Loopback Vault address: the run stops at the missing token before any network call, but never leaves the
            // host.
            const run = await runCli(c.args, { env: { ...env, VAULT_ADDR: "http://127.0.0.1:9" } });
            expect(run.code, run.stderr).to.equal(1);
            expect(run.stderr).to.include("[SA_TOKEN_UNREADABLE]");
          }
        });

      it("never gives an app container both a credentials file and the container endpoint", () => {
        for (const c of apps()) {
          const names = effectiveEnvNames(c, ex().configMaps);
          if (!names.includes("AWS_CONTAINER_CREDENTIALS_FULL_URI")) continue;
          for (const shadow of [
            "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
          ]) {
            expect(names, `${c.name} gets ${shadow} next to the endpoint`).to.not.include(shadow);
          }
        }
      });

      it("points apps at http://127.0.0.1 on the refresher's port and path, with the token file it writes", () => {
        const refreshers = iamra().filter(({ c }) => c.args[0] === "refresher");
        for (const app of apps().filter((c) => hasUri(c))) {
          expect(refreshers, "an app uses the endpoint but no refresher serves it").to.have.length(1);
          const r = refreshers[0]!.c;
          expect(r.args, "refresher disables the endpoint").to.not.include("--no-credentials-endpoint");
          const served = endpointOf(r);
          const url = new URL(envValue(app, "AWS_CONTAINER_CREDENTIALS_FULL_URI")!);
          expect(url.protocol).to.equal("http:");
          expect(url.hostname, "endpoint host").to.equal("127.0.0.1");
          expect(url.port).to.equal(served.port);
          expect(url.pathname).to.equal(served.path);
          expect(envValue(app, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")).to.equal(served.tokenFile);
        }
      });

      it("mounts the shared emptyDir writable in iamra-vault and read-only in app containers", () => {
        for (const { spec } of ex().workloads) {
          const volumes = new Map(((spec.volumes ?? []) as K8sObject[]).map((v) => [v.name as string, v]));
          const outputs = containersOf(spec)
            .filter(({ c }) => isIamraVault(c))
            .map(({ c }) => mountFor(c, flagValue(c.args, "--output-dir", helpOf(c))!));
          expect(
            outputs.every((m) => m && !m.readOnly && volumes.get(m.name)?.emptyDir),
            "iamra-vault output mounts",
          ).to.equal(true);
          const shared = new Set(outputs.map((m) => m!.name as string));
          let appMounts = 0;
          for (const { c } of containersOf(spec).filter(({ c }) => !isIamraVault(c))) {
            for (const m of (c.volumeMounts ?? []) as K8sObject[]) {
              if (!shared.has(m.name)) continue;
              appMounts++;
              expect(m.readOnly, `${c.name} mounts ${m.name}`).to.equal(true);
            }
          }
          expect(appMounts, "no app container mounts the credentials volume").to.be.above(0);
        }
      });
    });
  }
});

function hasUri(c: Container): boolean {
  return envValue(c, "AWS_CONTAINER_CREDENTIALS_FULL_URI") !== undefined;
}
