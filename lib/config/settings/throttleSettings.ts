import { setting } from "../setting.js";
import { parsePositiveDurationMs } from "../parsers.js";

/**
 * How long fleet-start throttling is absorbed (init and refresher: with a CreateSession quota of 10 TPS per account and
 * region, throttling is normal when a fleet starts).
 */
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
