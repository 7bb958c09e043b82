import { setting } from "../setting.js";
import { parsePositiveDurationMs } from "../parsers.js";

/** How long fleet-start throttling is absorbed (init and refresher; DESIGN.md: throttling is normal at fleet start). */
export const throttleBudgetSetting = setting({
  key: "throttleBudgetMs",
  flag: "--throttle-budget <duration>",
  env: ["IAMRA_THROTTLE_BUDGET"],
  default: 300_000,
  defaultText: "5m",
  description:
    "how long throttled calls (Roles Anywhere 429/ThrottlingException, Vault 429 rate limits) are retried " +
    "before failing; keep it inside the pod's start-up deadline",
  parse: parsePositiveDurationMs,
});
