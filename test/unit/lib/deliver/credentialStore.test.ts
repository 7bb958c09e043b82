import { expect } from "chai";
import { createCredentialStore } from "../../../../lib/deliver/credentialStore.js";
import { createLogger } from "../../../../lib/log.js";
import { expectIamraError } from "../../../support/expectIamraError.js";
import { manualClock } from "../../../support/manualClock.js";
import { testCredentials } from "../../../support/testCredentials.js";
import type { AwsCredentials } from "../../../../lib/credentials/awsCredentials.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("createCredentialStore", () => {
  it("holds nothing and is not ready before the first set", () => {
    const store = createCredentialStore({ clock: manualClock() });
    expect(store.current()).to.equal(undefined);
    expect(store.isReady()).to.equal(false);
    expect(store.readiness().reason).to.contain("no credentials");
    expect(store.lastUpdatedMs()).to.equal(undefined);
  });

  it("serves valid credentials and is ready while more than 15 minutes are left", () => {
    const clock = manualClock();
    const store = createCredentialStore({ clock });
    const creds = testCredentials(clock.now() + HOUR);
    store.set(creds);
    expect(store.current()?.accessKeyId).to.equal(creds.accessKeyId);
    expect(store.isReady()).to.equal(true);
    expect(store.lastUpdatedMs()).to.equal(clock.now());
    clock.advance(44 * MIN);
    expect(store.isReady()).to.equal(true);
    clock.advance(MIN);
    expect(store.isReady()).to.equal(false);
    expect(store.readiness().reason).to.contain("less than 900 s left");
    expect(store.current()?.accessKeyId, "still served until expiry").to.equal(creds.accessKeyId);
  });

  it("stops serving at expiry", () => {
    const clock = manualClock();
    const store = createCredentialStore({ clock });
    store.set(testCredentials(clock.now() + HOUR));
    clock.advance(HOUR - 1000);
    expect(store.current()).to.not.equal(undefined);
    clock.advance(1000);
    expect(store.current()).to.equal(undefined);
    expect(store.readiness()).to.include({ ready: false, remainingMs: 0 });
  });

  it("scales the readiness margin down for short sessions", () => {
    const clock = manualClock(1_700_000_000_000);
    const store = createCredentialStore({ clock, minValidityMs: 15 * MIN });
    store.set(testCredentials(clock.now() + 20_000));
    expect(store.isReady()).to.equal(true);
    clock.advance(14_999);
    expect(store.isReady()).to.equal(true);
    clock.advance(1);
    expect(store.isReady()).to.equal(false);
  });

  it("uses obtainedAtMs to size the session when given", () => {
    const clock = manualClock();
    const store = createCredentialStore({ clock });
    store.set(testCredentials(clock.now() + 20 * MIN), { obtainedAtMs: clock.now() - 40 * MIN });
    expect(store.isReady(), "1 h session with 20 min left").to.equal(true);
    clock.advance(5 * MIN);
    expect(store.isReady()).to.equal(false);
  });

  const bad: Array<[string, (c: AwsCredentials) => AwsCredentials]> = [
    ["an empty access key id", (c) => ({ ...c, accessKeyId: "" })],
    ["a missing secret", (c) => ({ ...c, secretAccessKey: undefined as unknown as string })],
    ["a blank session token", (c) => ({ ...c, sessionToken: "  " })],
    ["an unparsable expiration", (c) => ({ ...c, expiration: "soon" })],
    ["expirationMs disagreeing with expiration", (c) => ({ ...c, expirationMs: c.expirationMs + HOUR })],
    ["a NaN expirationMs", (c) => ({ ...c, expirationMs: Number.NaN })],
    [
      "expired credentials",
      (c) => ({ ...c, expiration: "2001-01-01T00:00:00Z", expirationMs: Date.parse("2001-01-01T00:00:00Z") }),
    ],
  ];
  for (const [name, spoil] of bad) {
    it(`refuses ${name} and keeps the previous credentials`, async () => {
      const clock = manualClock();
      const store = createCredentialStore({ clock });
      const good = testCredentials(clock.now() + HOUR);
      store.set(good);
      const changes: string[] = [];
      store.onChange((c) => changes.push(c.accessKeyId));
      const err = await expectIamraError(
        () => store.set(spoil(testCredentials(clock.now() + HOUR))),
        "CREDENTIALS_REJECTED",
      );
      expect(err.message).to.not.contain("PLANTED");
      expect(store.current()?.accessKeyId).to.equal(good.accessKeyId);
      expect(changes).to.deep.equal([]);
    });
  }

  it("keeps its own frozen copy (callers cannot mutate what is served)", () => {
    const clock = manualClock();
    const store = createCredentialStore({ clock });
    const creds = testCredentials(clock.now() + HOUR);
    store.set(creds);
    creds.accessKeyId = "MUTATED";
    expect(store.current()?.accessKeyId).to.not.equal("MUTATED");
    expect(Object.isFrozen(store.current())).to.equal(true);
  });

  it("notifies listeners on every set, until they unsubscribe", () => {
    const clock = manualClock();
    const store = createCredentialStore({ clock });
    const seen: string[] = [];
    const off = store.onChange((c) => seen.push(c.accessKeyId));
    const a = testCredentials(clock.now() + HOUR);
    const b = testCredentials(clock.now() + HOUR);
    store.set(a);
    store.set(b);
    off();
    store.set(testCredentials(clock.now() + HOUR));
    expect(seen).to.deep.equal([a.accessKeyId, b.accessKeyId]);
  });

  it("logs a throwing listener without breaking set() or the other listeners", () => {
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (l: string) => void lines.push(l) } });
    const clock = manualClock();
    const store = createCredentialStore({ clock, log });
    let second = 0;
    store.onChange(() => {
      throw new Error("listener exploded");
    });
    store.onChange(() => second++);
    const creds = testCredentials(clock.now() + HOUR);
    store.set(creds);
    expect(second).to.equal(1);
    expect(store.current()?.accessKeyId).to.equal(creds.accessKeyId);
    expect(lines.join("")).to.contain("listener exploded");
  });
});
