import { expect } from "chai";
import { execFile } from "node:child_process";
import { request } from "node:http";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { createSessionStore, type IssuedSession, type SessionStore } from "../../../devstack/aws/sessionStore.js";
import {
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from "../../../devstack/rolesanywhere/startRolesAnywhereStandIn.js";
import { startStsStandIn, type StsStandIn } from "../../../devstack/sts/startStsStandIn.js";
import { systemClock, type Clock } from "../../../lib/time/clock.js";
import { makeCertificate } from "../../../devstack/certificates/makeCertificate.js";
import { buildCreateSession, makeIdentity, sendRaw } from "./rolesAnywhereTestKit.js";
import { peers } from "../../support/peers.js";

const ACCOUNT = "123456789012";
const CHAINED_ROLE = `arn:aws:iam::${ACCOUNT}:role/Chained`;
const GUARDED_ROLE = `arn:aws:iam::210987654321:role/CrossAccount`;

describe("startStsStandIn", function () {
  this.timeout(30_000);
  let offsetMs = 0;
  const clock: Clock = { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
  let store: SessionStore;
  let sts: StsStandIn;
  let ra: RolesAnywhereStandIn;
  let session: IssuedSession;

  before(async () => {
    store = createSessionStore({ clock });
    sts = await startStsStandIn({ sessions: store, clock, roles: { [GUARDED_ROLE]: { externalId: "ext-42" } } });
    ra = await startRolesAnywhereStandIn({ sessions: store, clock });
    const root = await makeCertificate({ subject: "CN=STS Test Root", ca: true });
    const identity = await makeIdentity("ec-p256", root, []);
    const trustAnchorArn = ra.addTrustAnchor({ name: "a", caCertificatesPem: root.pem }).arn;
    const roleArn = ra.addRole({ name: "App" }).arn;
    const profileArn = ra.addProfile({ name: "p", roleArns: [roleArn] }).arn;
    const res = await sendRaw(
      ra.url,
      buildCreateSession(identity, {
        url: ra.url,
        arns: { trustAnchorArn, profileArn, roleArn },
        nowMs: Date.now(),
        body: { roleSessionName: "pod-1" },
      }),
    );
    expect(res.status, res.text).to.equal(201);
    session = store.lookup(res.json.credentialSet[0].credentials.accessKeyId)!;
  });
  after(async () => Promise.all([sts?.close(), ra?.close()]));
  beforeEach(() => (offsetMs = 0));

  const client = (creds: Partial<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> = {}) =>
    new STSClient({
      endpoint: sts.url,
      region: "eu-central-1",
      maxAttempts: 1,
      credentials: {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        ...creds,
      },
    });
  async function sdkError(
    p: Promise<unknown>,
  ): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
    try {
      await p;
    } catch (err) {
      return err as never;
    }
    throw new Error("expected the SDK call to fail");
  }

  it("answers GetCallerIdentity from the real @aws-sdk/client-sts with the Roles Anywhere session's assumed-role ARN", async () => {
    const out = await client().send(new GetCallerIdentityCommand({}));
    expect(out.Arn).to.equal(`arn:aws:sts::${ACCOUNT}:assumed-role/App/pod-1`);
    expect(out.Account).to.equal(ACCOUNT);
    expect(out.UserId).to.equal(session.assumedRoleId);
    expect(sts.requests.at(-1)).to.deep.equal({
      action: "GetCallerIdentity",
      accessKeyId: session.accessKeyId,
      status: 200,
    });
  });

  const failures: Array<[string, () => ReturnType<typeof client>, string, number]> = [
    ["a wrong secret", () => client({ secretAccessKey: "x".repeat(40) }), "SignatureDoesNotMatch", 403],
    ["an unknown access key", () => client({ accessKeyId: "ASIAAAAAAAAAAAAAAAAA" }), "InvalidClientTokenId", 403],
    ["another session's token", () => client({ sessionToken: "IQoJb3JpZ2luX2VjAAAA" }), "InvalidClientTokenId", 403],
  ];
  for (const [what, make, code, status] of failures) {
    it(`surfaces ${code} (${status}) to the SDK for ${what}`, async () => {
      const err = await sdkError(make().send(new GetCallerIdentityCommand({})));
      expect(err.name).to.equal(code);
      expect(err.$metadata.httpStatusCode).to.equal(status);
      expect(sts.requests.at(-1)).to.include({ action: "GetCallerIdentity", status, errorCode: code });
    });
  }

  it("surfaces ExpiredToken once the stand-in's clock passes the session's expiration", async () => {
    offsetMs = session.expiration.getTime() - Date.now() + 1000;
    const err = await sdkError(client().send(new GetCallerIdentityCommand({})));
    expect(err.name).to.equal("ExpiredToken");
    expect(err.message).to.equal("The security token included in the request is expired");
    expect(err.$metadata.httpStatusCode).to.equal(400);
  });

  it("refuses a request signed 10 minutes off its clock (Signature expired), which the SDK corrects from Date and retries", async () => {
    offsetMs = 10 * 60_000;
    const before = sts.requests.length;
    const out = await new STSClient({
      endpoint: sts.url,
      region: "us-east-1",
      maxAttempts: 2,
      credentials: session,
    }).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).to.equal(session.assumedRoleArn);
    expect(sts.requests.slice(before).map((r) => r.errorCode ?? r.status)).to.deep.equal([
      "SignatureDoesNotMatch",
      200,
    ]);
  });

  it("refuses a body changed after signing", async () => {
    const c = client();
    c.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { body: string };
        req.body = req.body.replace("Version=2011-06-15", "Version=2011-06-16"); // same length: Content-Length stays right
        return next(args);
      },
      { step: "deserialize", priority: "low", name: "tamperBody" },
    );
    const err = await sdkError(c.send(new GetCallerIdentityCommand({})));
    expect(err.name).to.equal("SignatureDoesNotMatch");
  });

  it("assumes a role through the SDK (role chaining) with tags, and the new credentials identify as that role", async () => {
    const out = await client().send(
      new AssumeRoleCommand({
        RoleArn: CHAINED_ROLE,
        RoleSessionName: "chained",
        DurationSeconds: 900,
        Tags: [{ Key: "team", Value: "payments" }],
      }),
    );
    expect(out.AssumedRoleUser?.Arn).to.equal(`arn:aws:sts::${ACCOUNT}:assumed-role/Chained/chained`);
    expect(out.Credentials?.AccessKeyId).to.match(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).to.be.closeTo(Date.now() + 900_000, 2000);
    const issued = store.lookup(out.Credentials!.AccessKeyId!)!;
    expect(issued.tags).to.deep.equal({ team: "payments" });
    expect(issued.sourceIdentity).to.equal(session.sourceIdentity).and.to.equal("app-leaf");
    const who = await client({
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).to.equal(out.AssumedRoleUser?.Arn);
  });

  it("requires the configured ExternalId for a guarded role (AccessDenied otherwise)", async () => {
    const denied = await sdkError(
      client().send(new AssumeRoleCommand({ RoleArn: GUARDED_ROLE, RoleSessionName: "x1", ExternalId: "wrong" })),
    );
    expect(denied.name).to.equal("AccessDenied");
    expect(denied.message).to.include(`not authorized to perform: sts:AssumeRole on resource: ${GUARDED_ROLE}`);
    const ok = await client().send(
      new AssumeRoleCommand({ RoleArn: GUARDED_ROLE, RoleSessionName: "x1", ExternalId: "ext-42" }),
    );
    expect(ok.AssumedRoleUser?.Arn).to.equal("arn:aws:sts::210987654321:assumed-role/CrossAccount/x1");
  });

  it("refuses DurationSeconds above the 1-hour role-chaining limit (ValidationError)", async () => {
    const err = await sdkError(
      client().send(new AssumeRoleCommand({ RoleArn: CHAINED_ROLE, RoleSessionName: "long", DurationSeconds: 7200 })),
    );
    expect(err.name).to.equal("ValidationError");
    expect(err.message).to.match(/1 hour session limit/);
  });

  it("answers an unsigned request with STS's MissingAuthenticationToken XML", async () => {
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const u = new URL(sts.url);
      const r = request(
        {
          host: u.hostname,
          port: u.port,
          method: "POST",
          path: "/",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
        (m) => {
          let text = "";
          m.on("data", (c) => (text += c)).on("end", () => resolve({ status: m.statusCode!, text }));
        },
      );
      r.on("error", reject);
      r.end(body);
    });
    expect(res.status).to.equal(403);
    expect(res.text).to.match(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>MissingAuthenticationToken<\/Code>\s*<Message>Request is missing Authentication Token<\/Message>\s*<\/Error>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ErrorResponse>\s*$/,
    );
  });

  describe("botocore (pinned test peer)", () => {
    const python = (script: string, env: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        execFile(
          peers.python,
          ["-c", script],
          { env: { PATH: peers.path, ...env }, timeout: 20_000 },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim())),
        );
      });
    const env = () => ({
      STS_URL: sts.url,
      AKID: session.accessKeyId,
      SECRET: session.secretAccessKey,
      TOKEN: session.sessionToken,
    });

    it("boto3 get_caller_identity() succeeds, and the stand-in saw the session's key", async () => {
      const out = await python(
        "import os, json, boto3\n" +
          "c = boto3.client('sts', endpoint_url=os.environ['STS_URL'], region_name='us-west-2', aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'], aws_session_token=os.environ['TOKEN'])\n" +
          "r = c.get_caller_identity(); print(json.dumps({k: r[k] for k in ('Arn', 'UserId', 'Account')}))",
        env(),
      );
      expect(JSON.parse(out)).to.deep.equal({
        Arn: session.assumedRoleArn,
        UserId: session.assumedRoleId,
        Account: ACCOUNT,
      });
      expect(sts.requests.at(-1)).to.deep.equal({
        action: "GetCallerIdentity",
        accessKeyId: session.accessKeyId,
        status: 200,
      });
    });

    it("accepts a GET with the action in the query string, signed by botocore's SigV4Auth", async () => {
      const out = await python(
        "import os, urllib.request\n" +
          "from botocore.auth import SigV4Auth\nfrom botocore.awsrequest import AWSRequest\nfrom botocore.credentials import Credentials\n" +
          "req = AWSRequest(method='GET', url=os.environ['STS_URL'] + '/?Action=GetCallerIdentity&Version=2011-06-15')\n" +
          "SigV4Auth(Credentials(os.environ['AKID'], os.environ['SECRET'], os.environ['TOKEN']), 'sts', 'us-east-1').add_auth(req)\n" +
          "p = req.prepare(); r = urllib.request.urlopen(urllib.request.Request(p.url, headers=dict(p.headers), method='GET'))\n" +
          "print(r.read().decode())",
        env(),
      );
      expect(out).to.include(`<Arn>${session.assumedRoleArn}</Arn>`);
      expect(out).to.include('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    });

    it("botocore raises ClientError SignatureDoesNotMatch for a wrong secret", async () => {
      const out = await python(
        "import os, boto3, botocore.exceptions\n" +
          "c = boto3.client('sts', endpoint_url=os.environ['STS_URL'], region_name='us-east-1', aws_access_key_id=os.environ['AKID'], aws_secret_access_key='y'*40, aws_session_token=os.environ['TOKEN'])\n" +
          "try:\n  c.get_caller_identity(); print('no error')\nexcept botocore.exceptions.ClientError as e:\n  print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'])",
        env(),
      );
      expect(out).to.equal("SignatureDoesNotMatch 403");
    });
  });
});
