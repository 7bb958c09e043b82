import { expect } from "chai";
import { describeProxy, proxyEnvironmentFrom } from "../../../../lib/net/proxyEnvironment.js";
import { expectIamraError } from "../../../support/expectIamraError.js";

describe("proxyEnvironmentFrom", () => {
  it("reads the upper-case variables", () => {
    const p = proxyEnvironmentFrom({ HTTPS_PROXY: "http://a:1", HTTP_PROXY: "http://b:2", NO_PROXY: ".svc" });
    expect([p.httpsProxy?.href, p.httpProxy?.href, p.noProxy]).to.deep.equal(["http://a:1/", "http://b:2/", ".svc"]);
  });

  it("prefers the lower-case forms when both are set", () => {
    const p = proxyEnvironmentFrom({
      HTTPS_PROXY: "http://upper:1",
      https_proxy: "http://lower:1",
      HTTP_PROXY: "http://upper:2",
      http_proxy: "http://lower:2",
      NO_PROXY: "upper",
      no_proxy: "lower",
    });
    expect([p.httpsProxy?.host, p.httpProxy?.host, p.noProxy]).to.deep.equal(["lower:1", "lower:2", "lower"]);
  });

  it("falls back to ALL_PROXY for both schemes and ignores empty values", () => {
    const p = proxyEnvironmentFrom({ HTTPS_PROXY: "", ALL_PROXY: "http://all:3" });
    expect([p.httpsProxy?.host, p.httpProxy?.host]).to.deep.equal(["all:3", "all:3"]);
  });

  it("returns no proxy when nothing is set", () => {
    expect(proxyEnvironmentFrom({ PATH: "/bin" })).to.deep.equal({ httpsProxy: undefined, httpProxy: undefined });
  });

  it("refuses a value without a scheme, an https or socks proxy and a path, naming each variable but no value", async () => {
    const err = await expectIamraError(
      () =>
        proxyEnvironmentFrom({
          HTTPS_PROXY: "proxy.corp:3128",
          HTTP_PROXY: "socks5://user:Sekr3t@proxy.corp:1080",
          ALL_PROXY: "http://proxy.corp:3128/path",
        }),
      "PROXY_URL_INVALID",
    );
    expect(err.message)
      .to.match(/\$HTTPS_PROXY/)
      .and.match(/\$HTTP_PROXY/);
    expect(JSON.stringify(err.toJSON())).not.to.include("Sekr3t");
    expect((err as unknown as { problems: string[] }).problems).to.have.length(2);
  });

  it("refuses an https:// proxy", async () => {
    await expectIamraError(() => proxyEnvironmentFrom({ https_proxy: "https://proxy.corp:3128" }), "PROXY_URL_INVALID");
  });
});

describe("describeProxy", () => {
  it("leaves out the user and password", () => {
    expect(describeProxy(new URL("http://user:Sekr3t@proxy.corp:3128"))).to.equal("http://proxy.corp:3128");
  });
});
