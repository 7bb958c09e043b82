import { setting } from "../setting.js";

/** Logging switches common to every command. */
export const debugSetting = setting({
  key: "debug",
  flag: "--debug",
  boolean: true,
  default: false,
  description: "verbose logs (secrets stay redacted)",
  parse: () => true,
});
