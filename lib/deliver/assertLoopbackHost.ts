/** Loopback-only listening for the endpoints that hand out credentials. */
import { isIP } from "node:net";
import { ConfigError } from "../errors.js";

/**
 * True for an IP literal in 127.0.0.0/8 or ::1 (host names such as "localhost" are not accepted: they may resolve
 * elsewhere).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare) === 4) return bare.split(".")[0] === "127";
  if (isIP(bare) === 6) return bare === "::1" || /^(0{0,4}:){7}0{0,3}1$/.test(bare);
  return false;
}

/** Throws a ConfigError (exit 2) unless `host` is a loopback IP literal; `setting` names the offending option. */
export function assertLoopbackHost(host: string, setting: string): void {
  if (isLoopbackHost(host)) return;
  throw new ConfigError({
    code: "ENDPOINT_NOT_LOOPBACK",
    message: `${setting} is "${host}", but the credentials endpoints listen on loopback only`,
    hint: "use 127.0.0.1 (botocore before 1.32 accepts exactly 127.0.0.1 in AWS_CONTAINER_CREDENTIALS_FULL_URI)",
    details: { setting, host },
  });
}
