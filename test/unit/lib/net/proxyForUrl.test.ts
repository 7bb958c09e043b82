import { expect } from "chai";
import { bypassesProxy, proxyForUrl } from "../../../../lib/net/proxyForUrl.js";
import type { ProxyEnvironment } from "../../../../lib/net/proxyEnvironment.js";

const httpsProxy = new URL("http://proxy.corp:3128");
const httpProxy = new URL("http://plain.corp:8080");

describe("proxyForUrl", () => {
  const cases: Array<{ target: string; env: ProxyEnvironment; want?: URL }> = [
    { target: "https://rolesanywhere.us-east-1.amazonaws.com", env: { httpsProxy }, want: httpsProxy },
    { target: "http://vault.svc:8200", env: { httpsProxy }, want: undefined },
    { target: "http://vault.svc:8200", env: { httpsProxy, httpProxy }, want: httpProxy },
    { target: "https://sts.amazonaws.com", env: { httpProxy }, want: undefined },
    { target: "https://127.0.0.1:8443", env: { httpsProxy }, want: httpsProxy },
    { target: "https://127.0.0.1:8443", env: { httpsProxy, noProxy: "localhost" }, want: undefined },
    { target: "https://sts.amazonaws.com", env: { httpsProxy, noProxy: "*" }, want: undefined },
  ];
  for (const c of cases) {
    it(`gives ${c.want?.host ?? "no proxy"} for ${c.target} with ${JSON.stringify(c.env)}`, () => {
      expect(proxyForUrl(new URL(c.target), c.env)?.href).to.equal(c.want?.href);
    });
  }
});

describe("bypassesProxy", () => {
  const cases: Array<[target: string, noProxy: string, bypass: boolean]> = [
    ["https://vault.example.com", "", false],
    ["https://vault.example.com", "*", true],
    ["https://vault.example.com", "vault.example.com", true],
    ["https://vault.example.com", "VAULT.EXAMPLE.COM", true],
    ["https://vault.example.com", "example.com", false],
    ["https://vault.example.com", ".example.com", true],
    ["https://vault.example.com", "*.example.com", true],
    ["https://example.com", ".example.com", false],
    ["https://vault.example.com", "other.org, .example.com", true],
    ["https://vault.example.com", "other.org .example.com", true],
    ["https://vault.example.com:8200", "vault.example.com:8200", true],
    ["https://vault.example.com:8200", "vault.example.com:443", false],
    ["https://vault.example.com", "vault.example.com:443", true],
    ["http://10.1.2.3:8200", "10.0.0.0/8", true],
    ["http://11.1.2.3:8200", "10.0.0.0/8", false],
    ["http://[fd00::5]:8200", "fd00::/8", true],
    ["http://[fd00::5]:8200", "[fd00::5]:8200", true],
    ["http://[fd00::5]:8200", "fd00::5", true],
    ["https://127.0.0.1:8443", "localhost", true],
    ["https://localhost:8443", "127.0.0.1", true],
    ["https://127.0.0.1:8443", "127.0.0.2", true],
    ["https://127.0.0.1:8443", "10.0.0.1", false],
    ["https://vault.example.com.", ".example.com", true],
  ];
  for (const [target, noProxy, bypass] of cases) {
    it(`${bypass ? "bypasses" : "proxies"} ${target} when NO_PROXY is "${noProxy}"`, () => {
      expect(bypassesProxy(new URL(target), noProxy)).to.equal(bypass);
    });
  }
});
