"use strict";
/** The shared credentials file of the floor programs (bench/floor/initFloor.cjs, refresherFloor.cjs). */
const fs = require("node:fs");
const path = require("node:path");

/**
 * Writes `credentials` ({ accessKeyId, secretAccessKey, sessionToken }) as the [default] profile of
 * `<dir>/credentials`, mode 0600, through a temp file renamed over it: a reader sees the old file or the new one.
 */
function writeCredentialsFile(dir, credentials) {
  const text =
    "[default]\n" +
    `aws_access_key_id = ${credentials.accessKeyId}\n` +
    `aws_secret_access_key = ${credentials.secretAccessKey}\n` +
    `aws_session_token = ${credentials.sessionToken}\n`;
  const target = path.join(dir, "credentials");
  const temp = path.join(dir, `.credentials.${process.pid}.tmp`);
  fs.writeFileSync(temp, text, { mode: 0o600 });
  fs.renameSync(temp, target);
}

module.exports = { writeCredentialsFile };
