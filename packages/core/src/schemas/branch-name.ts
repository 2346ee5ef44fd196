import * as v from "valibot";

/**
 * A branch of a workflow's history: 1 to 64 of `A-Z a-z 0-9 . _ / -`, not starting with `/` or
 * `.`, and with no `..`, `//` or trailing `/`, so a name is also a safe path segment and key prefix.
 */
export const BranchName = v.pipe(
  v.string(),
  v.minLength(1, "Invalid branch name: it is empty"),
  v.maxLength(64, "Invalid branch name: it is longer than 64 characters"),
  v.regex(/^[A-Za-z0-9._/-]+$/, "Invalid branch name: only A-Z a-z 0-9 . _ / - are allowed"),
  v.regex(/^[^/.]/, 'Invalid branch name: it must not start with "/" or "."'),
  v.check((name) => !name.includes(".."), 'Invalid branch name: it must not contain ".."'),
  v.check(
    (name) => !name.includes("//") && !name.endsWith("/"),
    'Invalid branch name: it must not contain an empty segment ("//" or a trailing "/")',
  ),
);

/** A branch of a workflow's history, e.g. `main` or `agents/planner-1`. */
export type BranchName = v.InferOutput<typeof BranchName>;
