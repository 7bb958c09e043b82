/**
 * A Roles Anywhere stand-in with a root and an intermediate CA, leaves of every key kind under each, a trust anchor,
 * a profile and a role whose trust policy checks the certificate's tags; with helpers to sign and send CreateSession.
 */
import { expect } from "chai";
import { createSessionStore, type SessionStore } from "../../../devstack/aws/sessionStore.js";
import {
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from "../../../devstack/rolesanywhere/startRolesAnywhereStandIn.js";
import { systemClock, type Clock } from "../../../lib/time/clock.js";
import type { KeyKind } from "../../../lib/x509/generateKeyPair.js";
import { makeCertificate, type GeneratedCertificate } from "../../../devstack/certificates/makeCertificate.js";
import {
  buildCreateSession,
  makeIdentity,
  sendRaw,
  type BuiltRequest,
  type SessionArns,
  type TestIdentity,
} from "./rolesAnywhereTestKit.js";

/** What rolesAnywhereScene() sets up; the fields are set once its `before` hook ran. */
export interface RolesAnywhereScene {
  /** The stand-in's clock, ms; reset to Date.now() before each test, tests may move it. */
  nowMs: number;
  ra: RolesAnywhereStandIn;
  store: SessionStore;
  root: GeneratedCertificate;
  intermediate: GeneratedCertificate;
  arns: SessionArns;
  /** A role that exists but is not in the profile. */
  unlistedRoleArn: string;
  /** The leaf of `kind/path` (path "direct" under the root, "intermediate" under the intermediate). */
  id(key?: string): TestIdentity;
  /** A signed CreateSession of `identity` (default the EC P-256 leaf under the intermediate) at the scene's clock. */
  build(o?: Partial<Parameters<typeof buildCreateSession>[1]>, identity?: TestIdentity): BuiltRequest;
  /** Sends `req` and checks an AWS-shaped error, what the stand-in recorded, and that no session was issued. */
  expectRefused(req: BuiltRequest, status: number, code: string, message: RegExp): Promise<void>;
}

/** Registers the hooks (call inside a describe) that start the scene before its tests and close it after. */
export function rolesAnywhereScene(): RolesAnywhereScene {
  const ids = new Map<string, TestIdentity>();
  const clock: Clock = { now: () => scene.nowMs, sleep: systemClock.sleep };
  const scene = {
    nowMs: Date.now(),
    id: (key = "ec-p256/intermediate") => ids.get(key)!,
    build: (o = {}, identity = scene.id()) =>
      buildCreateSession(identity, { url: scene.ra.url, arns: scene.arns, nowMs: scene.nowMs, ...o }),
    async expectRefused(req, status, code, message) {
      const before = scene.store.all().length;
      const res = await sendRaw(scene.ra.url, req);
      expect(res.status, res.text).to.equal(status);
      expect(res.headers["x-amzn-errortype"]).to.equal(code);
      expect(res.json.message).to.match(message);
      expect(scene.store.all().length).to.equal(before);
      const last = scene.ra.requests.at(-1)!;
      expect([last.status, last.errorCode]).to.deep.equal([status, code]);
    },
  } as RolesAnywhereScene;

  before(async () => {
    scene.store = createSessionStore({ clock });
    scene.ra = await startRolesAnywhereStandIn({ sessions: scene.store, clock, tps: 1000 });
    const root = await makeCertificate({ subject: "CN=Devstack Root CA, O=Example Corp", ca: true });
    const intermediate = await makeCertificate({
      subject: "CN=Devstack Intermediate CA, O=Example Corp",
      ca: true,
      issuer: root,
    });
    Object.assign(scene, { root, intermediate });
    for (const kind of ["rsa-2048", "ec-p256", "ec-p384"] as KeyKind[]) {
      ids.set(`${kind}/direct`, await makeIdentity(kind, root, []));
      ids.set(`${kind}/intermediate`, await makeIdentity(kind, intermediate, [intermediate]));
    }
    const ra = scene.ra;
    const trustAnchorArn = ra.addTrustAnchor({ name: "devstack", caCertificatesPem: root.pem }).arn;
    const roleArn = ra.addRole({
      name: "PaymentsApp",
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "rolesanywhere.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
            Condition: {
              StringLike: { "aws:PrincipalTag/x509SAN/URI": "spiffe://cluster.local/ns/payments/sa/*" },
              StringEquals: { "aws:PrincipalTag/x509Subject/O": "Example Corp" },
              ArnEquals: { "aws:SourceArn": trustAnchorArn },
            },
          },
        ],
      },
    }).arn;
    const otherRoleArn = ra.addRole({ name: "Other" }).arn;
    scene.unlistedRoleArn = ra.addRole({ name: "NotInProfile" }).arn;
    const profileArn = ra.addProfile({ name: "apps", roleArns: [roleArn, otherRoleArn] }).arn;
    scene.arns = { trustAnchorArn, profileArn, roleArn };
  });
  after(async () => scene.ra?.close());
  beforeEach(() => (scene.nowMs = Date.now()));
  return scene;
}
