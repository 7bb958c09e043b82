import { accessSync, constants, statSync } from "node:fs";
import type { Setting } from "../lib/config/setting.js";
import type { ConfigProblem } from "../lib/config/configProblem.js";
import { ConfigError } from "../lib/errors.js";

/** File-system access of the file policy (node:fs by default; injected in tests). */
export interface FileCheck {
  /** Throws like fs.statSync; returns whether the path is a directory. */
  isDirectory: (path: string) => boolean;
  /** Throws like fs.accessSync when this process may not read (a directory: list) the path. */
  checkReadable: (path: string, directory: boolean) => void;
}

const nodeFileCheck: FileCheck = {
  isDirectory: (path) => statSync(path).isDirectory(),
  checkReadable: (path, directory) => accessSync(path, directory ? constants.R_OK | constants.X_OK : constants.R_OK),
};

/**
 * The file policy: every setting marked `mustExist` that has a value must name a readable file (or directory) now,
 * at start-up. One problem per setting that does not, with the code SETTING_FILE_UNREADABLE (exit 2).
 */
export function settingFileProblems(
  settings: readonly Setting[],
  values: Readonly<Record<string, unknown>>,
  fs: FileCheck = nodeFileCheck,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const s of settings) {
    const path = values[s.key];
    if (!s.mustExist || typeof path !== "string") continue;
    const problem = fileProblem(path, s.mustExist === "directory", fs);
    if (!problem) continue;
    const name = s.flag.split(/[ ,]/)[0]!;
    const env = s.env?.length ? ` ($${s.env[0]})` : "";
    // a ConfigError is a ConfigProblem (message, code, hint); the shell reports it with the others
    problems.push(
      new ConfigError({
        code: "SETTING_FILE_UNREADABLE",
        message: `${name}${env} ${path} ${problem}`,
        hint: "check the path and that this user may read it",
      }),
    );
  }
  return problems;
}

function fileProblem(path: string, directory: boolean, fs: FileCheck): string | undefined {
  try {
    const isDir = fs.isDirectory(path);
    if (isDir !== directory) return directory ? "is not a directory" : "is a directory, not a file";
    fs.checkReadable(path, directory);
    return undefined;
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}
