import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { ClusterRole, ClusterRoleBinding, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { MutatingWebhookConfiguration } from "kubernetes-models/admissionregistration.k8s.io/v1";
import { peers } from "../../support/peers.js";
import { checkRestrictedProfile } from "../../support/checkRestrictedProfile.js";
import { LIMIT_HEADROOM_MIB, MEASURED_MIB, mebibytes } from "../../support/measuredFootprint.js";
import { webhookSettings } from "../../../lib/config/settings/webhookSettings.js";
import { REFRESHER_SETTING_GROUPS } from "../../../webhook/refresherEnvironment.js";

type Obj = Record<string, any>;
type Model = new (data: never) => { validate(): void };

const CHART = fileURLToPath(new URL("../../../charts/iamra-vault", import.meta.url));
const NAMESPACE = "iamra-system";
// kubernetes-models has no cert-manager types: those two kinds are checked field by field below
const MODELS: Record<string, Model | "cert-manager"> = {
  "v1/ServiceAccount": ServiceAccount as unknown as Model,
  "v1/ConfigMap": ConfigMap as unknown as Model,
  "v1/Secret": Secret as unknown as Model,
  "v1/Service": Service as unknown as Model,
  "apps/v1/Deployment": Deployment as unknown as Model,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole as unknown as Model,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding as unknown as Model,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding as unknown as Model,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget as unknown as Model,
  "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration": MutatingWebhookConfiguration as unknown as Model,
  "cert-manager.io/v1/Issuer": "cert-manager",
  "cert-manager.io/v1/Certificate": "cert-manager",
};

function helm(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(peers.helm, args, { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template` with `--set` values; every object validated with kubernetes-models, keyed by kind. */
function render(set: string[] = []): Map<string, Obj[]> {
  const r = helm(["template", "rel", CHART, "--namespace", NAMESPACE, ...set.flatMap((s) => ["--set", s])]);
  expect(r.code, r.stderr).to.equal(0);
  const byKind = new Map<string, Obj[]>();
  for (const doc of parseAllDocuments(r.stdout)) {
    const obj = doc.toJS() as Obj | null;
    if (!obj) continue;
    const model = MODELS[`${obj.apiVersion}/${obj.kind}`];
    expect(model, `no validation for ${obj.apiVersion}/${obj.kind}`).to.not.equal(undefined);
    if (model !== "cert-manager") expect(() => new model!(obj as never).validate(), `${obj.kind}`).to.not.throw();
    byKind.set(obj.kind, [...(byKind.get(obj.kind) ?? []), obj]);
  }
  return byKind;
}

const one = (objects: Map<string, Obj[]>, kind: string): Obj => {
  expect(objects.get(kind), kind).to.have.length(1);
  return objects.get(kind)![0]!;
};
const envOf = (c: Obj) => new Map((c.env as Obj[]).map((e) => [e.name as string, e.value as string]));

describe("charts/iamra-vault (real helm)", function () {
  this.timeout(120_000);

  it("passes helm lint, and lint refuses a value outside the schema", () => {
    const ok = helm(["lint", CHART]);
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    const bad = helm(["lint", CHART, "--set", "webhook.failurePolicy=Sometimes"]);
    expect(bad.code).to.not.equal(0);
    expect(bad.stdout + bad.stderr).to.include("failurePolicy");
  });

  it("renders valid objects: Deployment, Service, webhook configuration, settings, RBAC, PDB, TLS Secret", () => {
    const objects = render();
    expect([...objects.keys()].sort()).to.deep.equal([
      "ClusterRole",
      "ClusterRoleBinding",
      "ConfigMap",
      "Deployment",
      "MutatingWebhookConfiguration",
      "PodDisruptionBudget",
      "Secret",
      "Service",
      "ServiceAccount",
    ]);
    const deployment = one(objects, "Deployment");
    const pod = deployment.spec.template.spec as Obj;
    expect(checkRestrictedProfile(pod)).to.deep.equal([]);
    const container = pod.containers[0] as Obj;
    expect(container.args).to.deep.equal(["webhook"]);
    // memory by the measurements: request >= steady RSS, limit >= peak + headroom
    expect(mebibytes(container.resources.requests.memory as string)).to.be.at.least(MEASURED_MIB.webhookSteady);
    expect(mebibytes(container.resources.limits.memory as string)).to.be.at.least(
      MEASURED_MIB.webhookPeak + LIMIT_HEADROOM_MIB,
    );

    // every IAMRA_WEBHOOK_* variable is one the webhook reads
    const webhookEnv = new Set(webhookSettings.flatMap((s) => s.env ?? []));
    const env = envOf(container);
    for (const name of env.keys()) {
      if (name !== "IAMRA_LOG_LEVEL") expect(webhookEnv, name).to.include(name);
    }
    expect(env.get("IAMRA_WEBHOOK_SIDECAR_IMAGE")).to.equal(container.image);
    expect(env.get("IAMRA_WEBHOOK_SIDECAR_MODE")).to.equal("native");

    // the settings ConfigMap holds refresher settings only, and the webhook takes it whole
    const configMap = one(objects, "ConfigMap");
    expect(container.envFrom).to.deep.equal([{ configMapRef: { name: configMap.metadata.name } }]);
    const refresherEnv = new Set(REFRESHER_SETTING_GROUPS.flatMap((s) => s.env ?? []));
    for (const key of Object.keys(configMap.data)) expect(refresherEnv, key).to.include(key);

    // TLS: the mounted Secret's certificate is issued by the caBundle's CA for the Service's DNS name
    const secret = one(objects, "Secret");
    expect(pod.volumes).to.deep.include({ name: "tls", secret: { secretName: secret.metadata.name } });
    const service = one(objects, "Service");
    const config = one(objects, "MutatingWebhookConfiguration");
    const hook = config.webhooks[0] as Obj;
    const ca = new X509Certificate(Buffer.from(hook.clientConfig.caBundle, "base64"));
    const leaf = new X509Certificate(Buffer.from(secret.data["tls.crt"], "base64"));
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).to.equal(true);
    expect(leaf.checkHost(`${service.metadata.name}.${NAMESPACE}.svc`)).to.equal(
      `${service.metadata.name}.${NAMESPACE}.svc`,
    );
    expect(
      Buffer.from(secret.data["ca.crt"], "base64").equals(Buffer.from(hook.clientConfig.caBundle, "base64")),
    ).to.equal(true);

    expect(hook).to.deep.include({
      failurePolicy: "Ignore",
      sideEffects: "None",
      admissionReviewVersions: ["v1"],
      rules: [
        { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"], scope: "Namespaced" },
      ],
    });
    expect(hook.clientConfig.service).to.deep.equal({
      name: service.metadata.name,
      namespace: NAMESPACE,
      path: "/mutate",
      port: 443,
    });
    expect(hook.namespaceSelector.matchExpressions[0]).to.deep.equal({
      key: "kubernetes.io/metadata.name",
      operator: "NotIn",
      values: ["kube-system", "kube-node-lease", NAMESPACE],
    });
    const port = service.spec.ports[0] as Obj;
    expect(container.ports).to.deep.include({ name: port.targetPort, containerPort: 8443, protocol: "TCP" });
    expect(service.spec.selector).to.deep.equal(deployment.spec.selector.matchLabels);

    const roles = objects.get("ClusterRole")!;
    expect(roles.map((r) => r.rules)).to.deep.equal([
      [{ apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["create", "patch"] }],
      [{ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get"] }],
    ]);
    expect(env.get("IAMRA_WEBHOOK_KUBERNETES_EVENTS")).to.equal("true");
    expect(env.has("IAMRA_WEBHOOK_VAULT_CA_CONFIGMAP")).to.equal(false);
    const binding = one(objects, "ClusterRoleBinding");
    expect(binding.subjects).to.deep.equal([
      { kind: "ServiceAccount", name: pod.serviceAccountName, namespace: NAMESPACE },
    ]);
    expect(pod.automountServiceAccountToken).to.equal(true);
    const pdb = one(objects, "PodDisruptionBudget");
    expect(pdb.spec).to.deep.equal({
      minAvailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
  });

  it("uses cert-manager for TLS when asked: Issuer and Certificate, caBundle injected by cert-manager", () => {
    const objects = render(["tls.certManager.enabled=true"]);
    expect(objects.has("Secret")).to.equal(false);
    const certificate = one(objects, "Certificate");
    const issuer = one(objects, "Issuer");
    expect(issuer.spec).to.deep.equal({ selfSigned: {} });
    expect(certificate.spec.issuerRef).to.deep.equal({ kind: "Issuer", name: issuer.metadata.name });
    const pod = one(objects, "Deployment").spec.template.spec as Obj;
    expect(pod.volumes).to.deep.include({ name: "tls", secret: { secretName: certificate.spec.secretName } });
    const service = one(objects, "Service");
    expect(certificate.spec.dnsNames).to.include(`${service.metadata.name}.${NAMESPACE}.svc`);
    const config = one(objects, "MutatingWebhookConfiguration");
    expect(config.metadata.annotations).to.deep.equal({
      "cert-manager.io/inject-ca-from": `${NAMESPACE}/${certificate.metadata.name}`,
    });
    expect(config.webhooks[0].clientConfig.caBundle).to.equal(undefined);
  });

  it("follows the values: failure policy, selectors, classic sidecar, one replica, pod annotations only", () => {
    const objects = render([
      "webhook.failurePolicy=Fail",
      "webhook.replicas=1",
      "webhook.namespaceSelector.matchLabels.iamra-vault/injection=enabled",
      "webhook.objectSelector.matchLabels.team=payments",
      "injection.sidecarMode=init-and-sidecar",
      "injection.serviceAccountAnnotations=false",
      "injection.kubernetesEvents=false",
      "events.createClusterRole=false",
      "image.digest=sha256:" + "a".repeat(64),
    ]);
    expect(objects.has("PodDisruptionBudget")).to.equal(false);
    expect(objects.has("ClusterRole")).to.equal(false);
    const hook = one(objects, "MutatingWebhookConfiguration").webhooks[0] as Obj;
    expect(hook.failurePolicy).to.equal("Fail");
    expect(hook.namespaceSelector.matchLabels).to.deep.equal({ "iamra-vault/injection": "enabled" });
    expect(hook.objectSelector).to.deep.equal({ matchLabels: { team: "payments" } });
    const pod = one(objects, "Deployment").spec.template.spec as Obj;
    expect(pod.automountServiceAccountToken).to.equal(false);
    const env = envOf(pod.containers[0]);
    expect(env.get("IAMRA_WEBHOOK_SIDECAR_MODE")).to.equal("init-and-sidecar");
    expect(env.get("IAMRA_WEBHOOK_SERVICE_ACCOUNT_ANNOTATIONS")).to.equal("false");
    expect(env.get("IAMRA_WEBHOOK_KUBERNETES_EVENTS")).to.equal("false");
    expect(env.get("IAMRA_WEBHOOK_SIDECAR_IMAGE")).to.equal(
      `registry.example.com/iamra-vault@sha256:${"a".repeat(64)}`,
    );
  });

  it("binds the events ClusterRole in listed namespaces; passes the Vault CA ConfigMap", () => {
    const objects = render([
      "events.namespaces={payments,web}",
      "injection.vaultCA.configMap=vault-ca",
      "injection.vaultCA.key=bundle.pem",
      "settings.VAULT_CACERT=/etc/vault/ca.pem",
    ]);
    const role = objects.get("ClusterRole")!.find((r) => r.rules[0].apiGroups[0] === "events.k8s.io")!;
    const bindings = objects.get("RoleBinding")!;
    expect(bindings.map((b) => [b.metadata.namespace, b.roleRef.name, b.subjects])).to.deep.equal(
      ["payments", "web"].map((ns) => [
        ns,
        role.metadata.name,
        [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: `system:serviceaccounts:${ns}` }],
      ]),
    );
    const env = envOf(one(objects, "Deployment").spec.template.spec.containers[0]);
    expect([env.get("IAMRA_WEBHOOK_VAULT_CA_CONFIGMAP"), env.get("IAMRA_WEBHOOK_VAULT_CA_KEY")]).to.deep.equal([
      "vault-ca",
      "bundle.pem",
    ]);
    expect(one(objects, "ConfigMap").data.VAULT_CACERT).to.equal("/etc/vault/ca.pem");
  });
});
