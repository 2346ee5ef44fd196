import { ChorusError, type Result } from "@chorus/core";

/**
 * Where the callee's input fields came from in the HTTP request, as `{ calleePath: httpPath }`:
 * `{ "/workflowId": "/params/id", "/cursor": "/query/cursor" }`. An error's path and its issues'
 * paths under a key are moved under its value, so the client sees the field it sent.
 */
export type PathMap = Readonly<Record<string, string>>;

/**
 * The one place where a callee's {@link Result} becomes a value or a thrown `ChorusError`
 * (its code, path and details rebuilt, its paths mapped to the request), which
 * `problemResponse` then maps to a status.
 * @param pending an RPC call on `env.STATE` or `env.COORDINATOR`
 * @param paths where the callee's input fields came from in the request
 * @returns the value of a successful result
 * @throws ChorusError rebuilt from a failed result
 * @example
 * const read = await call(env.STATE.getState({ workflowId }), { "/workflowId": "/params/id" });
 */
export async function call<T>(pending: Promise<Result<T>>, paths: PathMap = {}): Promise<T> {
  const result = await pending;
  if (result.ok) return result.value;
  const error = ChorusError.fromData(result.error);
  if (Object.keys(paths).length === 0) throw error;
  throw new ChorusError(error.code, error.message, {
    ...(error.path === undefined ? {} : { path: mapPath(error.path, paths) }),
    details: mapIssues(error.details, paths),
  });
}

function mapPath(path: string, paths: PathMap): string {
  for (const [from, to] of Object.entries(paths)) {
    if (path === from || path.startsWith(`${from}/`)) return to + path.slice(from.length);
  }
  return path;
}

function mapIssues(details: unknown, paths: PathMap): unknown {
  if (typeof details !== "object" || details === null || !("issues" in details)) return details;
  const { issues } = details;
  if (!Array.isArray(issues)) return details;
  return {
    ...details,
    issues: issues.map((issue: unknown) =>
      typeof issue === "object" &&
      issue !== null &&
      "path" in issue &&
      typeof issue.path === "string"
        ? { ...issue, path: mapPath(issue.path, paths) }
        : issue,
    ),
  };
}
