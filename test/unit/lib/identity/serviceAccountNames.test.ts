import { expect } from "chai";
import {
  commonNameOf,
  commonNameTemplate,
  spiffeIdOf,
  uriSanTemplate,
} from "../../../../lib/identity/serviceAccountNames.js";

/** Fills Vault's alias metadata placeholders the way Vault does for a token of `sa` logged in through `accessor`. */
function renderAsVault(template: string, accessor: string, sa: { namespace: string; name: string }): string {
  const prefix = `identity.entity.aliases.${accessor}.metadata.`;
  return template.replace(/\{\{([^}]+)\}\}/g, (_, path: string) => {
    if (path === `${prefix}service_account_namespace`) return sa.namespace;
    if (path === `${prefix}service_account_name`) return sa.name;
    throw new Error(`unexpected template field ${path}`);
  });
}

describe("serviceAccountNames", () => {
  const sa = { namespace: "payments", name: "app" };
  const accessor = "auth_kubernetes_1a2b3c";
  const trustDomain = "example.org";

  it("names a service account's certificate CN and SPIFFE ID", () => {
    expect(commonNameOf(sa)).to.equal("app.payments");
    expect(spiffeIdOf(trustDomain, sa)).to.equal("spiffe://example.org/ns/payments/sa/app");
  });

  it("writes the PKI role templates from the kubernetes auth alias metadata", () => {
    expect(commonNameTemplate(accessor)).to.equal(
      "{{identity.entity.aliases.auth_kubernetes_1a2b3c.metadata.service_account_name}}." +
        "{{identity.entity.aliases.auth_kubernetes_1a2b3c.metadata.service_account_namespace}}",
    );
    expect(uriSanTemplate(trustDomain, accessor)).to.equal(
      "spiffe://example.org/ns/{{identity.entity.aliases.auth_kubernetes_1a2b3c.metadata.service_account_namespace}}" +
        "/sa/{{identity.entity.aliases.auth_kubernetes_1a2b3c.metadata.service_account_name}}",
    );
  });

  it("renders the templates to exactly the names requested for the same service account", () => {
    for (const one of [sa, { namespace: "kube-system", name: "refresher-01" }]) {
      expect(renderAsVault(commonNameTemplate(accessor), accessor, one)).to.equal(commonNameOf(one));
      const uriSan = renderAsVault(uriSanTemplate(trustDomain, accessor), accessor, one);
      expect(uriSan).to.equal(spiffeIdOf(trustDomain, one));
    }
  });
});
