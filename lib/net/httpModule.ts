import { createRequire } from "node:module";

type Http = typeof import("node:http");

let http: Http | undefined;

/**
 * node:http, loaded on first use: credential-process's direct call to Roles Anywhere does without it (its modules
 * cost a one-shot command several milliseconds), while proxied and kept-alive calls load it when they are made.
 */
export function httpModule(): Http {
  if (http) return http;
  // `require` in the CommonJS bundle: createRequire costs a one-shot command start-up time
  const load = typeof require === "function" ? require : createRequire(import.meta.url);
  return (http = load("node:http") as Http);
}
