import type { JsonPatchOperation, JsonValue } from "@chorus/core";
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { errorText, short } from "../format.ts";
import { valueAt } from "../pointer.ts";

/** One changed path, as the diff shows it. */
interface Change {
  path: string;
  kind: string;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
}

/**
 * The readable diff between two versions: each changed path with its value before and after
 * (the patch from the API, each path's old value read from the first version's state).
 * @param workflowId the workflow
 * @param from the older version
 * @param to the newer version
 * @param into where to draw
 */
export async function showDiff(
  workflowId: string,
  from: number,
  to: number,
  into: HTMLElement,
): Promise<void> {
  replace(into, h("p", { class: "muted" }, `Comparing v${from} with v${to}…`));
  try {
    const [{ patch }, before] = await Promise.all([
      api.diff(workflowId, from, to),
      api.state(workflowId, from),
    ]);
    const changes = patch.map((operation) => describe(operation, before.state));
    replace(
      into,
      h("p", {}, `v${from} → v${to}: ${changes.length} change${changes.length === 1 ? "" : "s"}`),
      changes.length === 0
        ? h("p", { class: "muted" }, "The two versions hold the same state.")
        : h(
            "table",
            { class: "diff", "aria-label": `Changes from v${from} to v${to}` },
            h(
              "tr",
              {},
              h("th", {}, "path"),
              h("th", {}, "change"),
              h("th", {}, "before"),
              h("th", {}, "after"),
            ),
            changes.map((change) =>
              h(
                "tr",
                { "data-path": change.path },
                h("td", { class: "mono" }, change.path === "" ? "(root)" : change.path),
                h("td", {}, change.kind),
                h("td", { class: "before" }, h("pre", {}, short(change.before, 400))),
                h("td", { class: "after" }, h("pre", {}, short(change.after, 400))),
              ),
            ),
          ),
    );
  } catch (error) {
    replace(into, h("p", { class: "error" }, errorText(error)));
  }
}

function describe(operation: JsonPatchOperation, before: JsonValue): Change {
  const old = valueAt(before, operation.path);
  switch (operation.op) {
    case "add":
      return {
        path: operation.path,
        kind: old === undefined ? "added" : "inserted",
        before: undefined,
        after: operation.value,
      };
    case "remove":
      return { path: operation.path, kind: "removed", before: old, after: undefined };
    case "replace":
      return { path: operation.path, kind: "changed", before: old, after: operation.value };
    case "move":
    case "copy":
      return {
        path: operation.path,
        kind: `${operation.op}d from ${operation.from}`,
        before: old,
        after: valueAt(before, operation.from),
      };
    default:
      return { path: operation.path, kind: operation.op, before: old, after: old };
  }
}
