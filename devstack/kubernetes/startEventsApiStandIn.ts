import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { eventCreateProblems, eventUpdateProblems, mergePatch } from "./eventRules.js";
import { listenLoopback } from "../listenLoopback.js";
import { readRequestBody } from "../readRequestBody.js";
import { apiServerCertificate } from "./apiServerCertificate.js";

/** What the stand-in decides for a caller: go ahead, 401 (no or bad token) or 403 (RBAC says no). */
export type EventsAuthorization = "allow" | "unauthorized" | "forbidden";

/** Options of the Events API stand-in. */
export interface EventsApiStandInOptions {
  host?: string;
  port?: number;
  /** Serve HTTPS with a throwaway CA (exposed as `caCertPem`), as kube-apiserver does. */
  tls?: boolean;
  /** Decides per request; default: any bearer token may create and patch events anywhere, none is 401. */
  authorize?: (bearer: string | undefined, verb: "create" | "patch", namespace: string) => EventsAuthorization;
  /**
   * Checks each Event against the Kubernetes OpenAPI schema before it is stored and throws when it does not match
   * (answered 422 Invalid). Tests pass kubernetes-models here; the devstack itself does not depend on it.
   */
  validate?: (event: unknown) => void;
}

/** One request seen (no token values). */
export interface EventsRequestRecord {
  method: string;
  path: string;
  contentType?: string;
  hasBearer: boolean;
  status: number;
  body?: unknown;
}

/** A running stand-in for the events.k8s.io/v1 Events API of kube-apiserver (a test double). */
export interface EventsApiStandIn {
  url: string;
  caCertPem?: string;
  /** Stored Events, in creation order (each as last written). */
  events(): Array<Record<string, any>>;
  requests: EventsRequestRecord[];
  /** While true, requests are accepted and never answered (an API server that hangs). */
  hang: boolean;
  close(): Promise<void>;
}

const COLLECTION = /^\/apis\/events\.k8s\.io\/v1\/namespaces\/([^/]+)\/events(?:\/([^/]+))?$/;

/** Starts the Events API stand-in on loopback: create (POST), merge-patch (PATCH) and list (GET) Events. */
export async function startEventsApiStandIn(opts: EventsApiStandInOptions = {}): Promise<EventsApiStandIn> {
  const stored = new Map<string, Record<string, any>>();
  const requests: EventsRequestRecord[] = [];
  let resourceVersion = 1000;
  const state = { hang: false };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = (await readRequestBody(req))?.toString("utf8") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    const record: EventsRequestRecord = {
      method: req.method ?? "",
      path: req.url ?? "",
      contentType: req.headers["content-type"],
      hasBearer: bearer !== undefined,
      status: 0,
    };
    requests.push(record);
    if (state.hang) return; // never answered; the connection is closed by the client's timeout or by close()
    const answer = (code: number, body: unknown) => {
      record.status = code;
      res.writeHead(code, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const fail = (code: number, reason: string, message: string) =>
      answer(code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });

    const m = COLLECTION.exec(new URL(req.url ?? "/", "http://k8s.invalid").pathname);
    if (!m) return fail(404, "NotFound", "the server could not find the requested resource");
    const namespace = decodeURIComponent(m[1]!);
    const name = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    if (req.method === "GET" && !name) {
      const items = [...stored.values()].filter((e) => e.metadata.namespace === namespace);
      return answer(200, { kind: "EventList", apiVersion: "events.k8s.io/v1", metadata: {}, items });
    }
    const verb = req.method === "POST" && !name ? "create" : req.method === "PATCH" && name ? "patch" : undefined;
    if (!verb) return fail(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    const decision = opts.authorize
      ? opts.authorize(bearer, verb, namespace)
      : bearer === undefined
        ? "unauthorized"
        : "allow";
    if (decision === "unauthorized") return fail(401, "Unauthorized", "Unauthorized");
    if (decision === "forbidden") {
      return fail(
        403,
        "Forbidden",
        `events.events.k8s.io is forbidden: User "system:serviceaccount:${namespace}:app" cannot ${verb} resource ` +
          `"events" in API group "events.k8s.io" in the namespace "${namespace}"`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail(400, "BadRequest", "the body of the request was in an unknown format");
    }
    record.body = body;

    let next: Record<string, any>;
    let problems: string[];
    if (verb === "create") {
      next = body as Record<string, any>;
      problems = eventCreateProblems(next, namespace);
      if (problems.length === 0 && stored.has(`${namespace}/${next.metadata.name}`)) {
        return fail(409, "AlreadyExists", `events.events.k8s.io "${next.metadata.name}" already exists`);
      }
    } else {
      const type = String(req.headers["content-type"] ?? "").split(";")[0];
      if (type !== "application/merge-patch+json" && type !== "application/strategic-merge-patch+json") {
        return fail(415, "UnsupportedMediaType", `the body of the request was in an unknown format: ${type}`);
      }
      const before = stored.get(`${namespace}/${name}`);
      if (!before) return fail(404, "NotFound", `events.events.k8s.io "${name}" not found`);
      next = mergePatch(before, body) as Record<string, any>;
      problems = [...eventCreateProblems(next, namespace), ...eventUpdateProblems(before, next)];
    }
    if (problems.length === 0 && opts.validate) {
      try {
        opts.validate(next);
      } catch (err) {
        problems.push(`schema: ${(err as Error).message}`);
      }
    }
    if (problems.length > 0) {
      return fail(422, "Invalid", `Event.events.k8s.io "${next.metadata?.name}" is invalid: ${problems.join(", ")}`);
    }
    const metadata = {
      ...next.metadata,
      namespace,
      uid: next.metadata.uid ?? randomUUID(),
      resourceVersion: String(++resourceVersion),
      creationTimestamp: next.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    };
    const saved = { ...next, metadata };
    stored.set(`${namespace}/${metadata.name}`, saved);
    answer(verb === "create" ? 201 : 200, saved);
  };

  const tls = opts.tls ? await apiServerCertificate(opts.host ?? "127.0.0.1") : undefined;
  const listener = await listenLoopback("events api stand-in", handle, { host: opts.host, port: opts.port, tls });
  return {
    url: listener.url,
    caCertPem: tls?.caCertPem,
    events: () => [...stored.values()],
    requests,
    get hang() {
      return state.hang;
    },
    set hang(v: boolean) {
      state.hang = v;
    },
    close: () => listener.close(),
  };
}
