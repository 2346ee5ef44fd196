import { constants } from "node:fs";
import { access, copyFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Creates a worker's `.dev.vars` (its local secrets, e.g. the gateway's `ADMIN_TOKEN`) from the
 * committed `.dev.vars.example` when it does not exist yet; an existing file is never touched.
 * @param appDir the worker's directory
 * @returns `created`, `present`, or `missing` when there is neither file
 */
export async function ensureDevVars(appDir: string): Promise<"created" | "present" | "missing"> {
  const target = join(appDir, ".dev.vars");
  if (await exists(target)) return "present";
  if (!(await exists(`${target}.example`))) return "missing";
  try {
    // COPYFILE_EXCL: never overwrite a .dev.vars that appeared meanwhile.
    await copyFile(`${target}.example`, target, constants.COPYFILE_EXCL);
    return "created";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return "present";
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
