import type { Logger } from "../log.js";

/** The logger interface of AWS SDK for JavaScript v3 clients and their HTTP handlers. */
export interface SdkLogger {
  trace?: (...content: unknown[]) => void;
  debug: (...content: unknown[]) => void;
  info: (...content: unknown[]) => void;
  warn: (...content: unknown[]) => void;
  error: (...content: unknown[]) => void;
}

/**
 * Routes the SDK's own log calls through the project's logger (JSON, redacted) instead of the console: warn and error
 * keep their level; the SDK's info (one line per call, with inputs and outputs) and debug become debug.
 */
export function sdkLogger(log: Logger): SdkLogger {
  const child = log.child({ component: "aws-sdk" });
  const write =
    (level: "debug" | "warn" | "error") =>
    (...content: unknown[]) => {
      const text = content.filter((c) => typeof c === "string").join(" ");
      const objects = content.filter((c) => c !== null && typeof c === "object");
      child[level](
        objects.length ? { sdk: objects.length === 1 ? objects[0] : objects } : {},
        text || "aws sdk message",
      );
    };
  const ignore = () => undefined;
  return { trace: ignore, debug: write("debug"), info: write("debug"), warn: write("warn"), error: write("error") };
}
