import { expect } from "chai";
import { webhookCommand } from "../../../webhook/webhookCommand.js";
import { resolveSettings } from "../../../lib/config/resolveSettings.js";

describe("webhookCommand", () => {
  const base = {
    IAMRA_WEBHOOK_TLS_CERT_FILE: "/tls.crt",
    IAMRA_WEBHOOK_TLS_KEY_FILE: "/tls.key",
    IAMRA_WEBHOOK_SIDECAR_IMAGE: "iamra-vault:1",
  };

  it("validate reports a CA file without ConfigMap and a missing Kubernetes API together", () => {
    const env = { ...base, VAULT_CACERT: "/etc/vault/ca.pem" };
    const values = resolveSettings(webhookCommand.settings, { flags: {}, env });
    const problems = webhookCommand.validate!(values, { env }).map((p) => p.message);
    expect(problems).to.have.length(2);
    expect(problems[0]).to.contain("VAULT_CACERT").and.contain("--vault-ca-configmap");
    expect(problems[1]).to.contain("KUBERNETES_SERVICE_HOST");
  });

  it("validate finds nothing wrong in a pod with no CA file", () => {
    const env = { ...base, KUBERNETES_SERVICE_HOST: "10.0.0.1" };
    const values = resolveSettings(webhookCommand.settings, { flags: {}, env });
    expect(webhookCommand.validate!(values, { env })).to.deep.equal([]);
  });
});
