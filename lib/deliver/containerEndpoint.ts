/**
 * The container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE),
 * which
 * every AWS SDK re-fetches before expiry
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ConfigError } from "../errors.js";
import type { Logger } from "../log.js";
import { assertLoopbackHost } from "./assertLoopbackHost.js";
import type { CredentialStore } from "./credentialStore.js";
import type { Metrics } from "./metrics.js";
import { sendJson, sendJsonError } from "./sendJson.js";
import { startHttpServer, type HttpServerHandle } from "./startHttpServer.js";
import { writeFileAtomic } from "./writeFileAtomic.js";

/** Default path of the container credentials endpoint. */
export const DEFAULT_CONTAINER_PATH = "/credentials";
/** Default mode of the token file: readable by the app container, which may run as another user. */
export const DEFAULT_TOKEN_FILE_MODE = 0o644;

/** Options of startContainerEndpoint. */
export interface ContainerEndpointOptions {
  store: CredentialStore;
  /** Loopback IP literal (default 127.0.0.1); anything else is a ConfigError. */
  host?: string;
  /** 0 picks a free port (the refresher's default is its --endpoint-port setting's). */
  port: number;
  /** Default "/credentials". */
  path?: string;
  /** The exact value clients send in the Authorization header. */
  authToken: string;
  log: Logger;
  metrics?: Metrics;
  /** Bound on finishing in-flight requests at close(), ms (default 5 s). */
  closeTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open between requests, ms (default 5 s). */
  keepAliveTimeoutMs?: number;
}

/** A running endpoint: `url` is the full URI for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
export interface ContainerEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A new random authorization token: 32 random bytes, base64url (43 URL-safe characters, no newline). */
export function createAuthToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Writes the token file atomically, exactly the token with no trailing newline (SDKs reject \r and \n). */
export async function writeTokenFile(
  path: string,
  token: string,
  mode: number = DEFAULT_TOKEN_FILE_MODE,
): Promise<void> {
  assertUsableToken(token);
  await writeFileAtomic(path, token, { mode });
}

function assertUsableToken(token: string): void {
  if (typeof token !== "string" || token.length < 16 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigError({
      code: "ENDPOINT_TOKEN_INVALID",
      message:
        "the container endpoint's authorization token must be at least 16 printable ASCII characters without spaces or newlines",
      hint: "let the refresher generate it (createAuthToken) instead of configuring one",
    });
  }
}

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Starts the container credentials endpoint on loopback: GET <path> with `Authorization: <token>`. */
export async function startContainerEndpoint(opts: ContainerEndpointOptions): Promise<ContainerEndpoint> {
  const host = opts.host ?? "127.0.0.1";
  const path = opts.path ?? DEFAULT_CONTAINER_PATH;
  assertLoopbackHost(host, "container endpoint host");
  if (!path.startsWith("/") || path.includes("?") || path.includes("#")) {
    throw new ConfigError({
      code: "ENDPOINT_PATH_INVALID",
      message: `container endpoint path "${path}" must start with "/" and have no query or fragment`,
      hint: 'use e.g. "/credentials"',
    });
  }
  assertUsableToken(opts.authToken);
  const expected = sha256(opts.authToken);
  const log = opts.log.child({ component: "container-endpoint" });

  const authorized = (req: IncomingMessage): boolean => {
    const given = req.headers.authorization;
    // hashing first gives equal-length buffers, so timingSafeEqual never leaks the token's length or prefix
    return typeof given === "string" && timingSafeEqual(sha256(given), expected);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const reqPath = (req.url ?? "/").split("?")[0];
    route(req, res, reqPath);
    opts.metrics?.countRequest("container", res.statusCode);
    log.debug({ method: req.method, path: reqPath, status: res.statusCode }, "request");
  };

  const route = (req: IncomingMessage, res: ServerResponse, reqPath: string): void => {
    if (reqPath !== path)
      return sendJsonError(res, 404, "NOT_FOUND", `no such path; credentials are served at ${path}`);
    if (req.method !== "GET") {
      return sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "only GET is allowed", { Allow: "GET" });
    }
    if (!authorized(req)) {
      log.warn({ hasAuthorization: req.headers.authorization !== undefined }, "rejected request without a valid token");
      return sendJsonError(res, 401, "UNAUTHORIZED", "missing or wrong Authorization token");
    }
    const creds = opts.store.current();
    if (!creds) {
      return sendJsonError(
        res,
        503,
        "CREDENTIALS_UNAVAILABLE",
        "no valid credentials yet or they expired; retry shortly",
        {
          "Retry-After": "1",
        },
      );
    }
    sendJson(res, 200, {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      Expiration: creds.expiration,
      ...(creds.roleArn ? { RoleArn: creds.roleArn } : {}),
    });
  };

  const server: HttpServerHandle = await startHttpServer({
    name: "container credentials endpoint",
    host,
    port: opts.port,
    handler,
    log,
    closeTimeoutMs: opts.closeTimeoutMs,
    keepAliveTimeoutMs: opts.keepAliveTimeoutMs,
  });
  const url = `${server.url}${path}`;
  log.info({ url }, "container credentials endpoint listening");
  return { url, port: server.port, close: server.close };
}
