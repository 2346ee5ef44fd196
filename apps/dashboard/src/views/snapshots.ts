import type { Snapshot } from "@chorus/core";
import { api } from "../api.ts";
import { h } from "../dom.ts";
import { time } from "../format.ts";
import { panelAction } from "./panel-action.ts";

/**
 * Snapshots: a form that takes one of the head, and a Restore button on each.
 * @param workflowId the workflow
 * @param snapshots newest last, as the API lists them
 * @param changed called after a snapshot is taken or restored
 * @returns the section's content
 */
export function snapshotPanel(
  workflowId: string,
  snapshots: readonly Snapshot[],
  changed: () => void,
): HTMLElement {
  const description = h("input", {
    id: "snapshot-description",
    name: "description",
    placeholder: "before the release",
  });
  const error = h("p", { class: "error", role: "alert" });
  const act = panelAction(error, changed);
  return h(
    "div",
    {},
    h(
      "form",
      {
        class: "inline",
        onsubmit: (event: Event) => {
          event.preventDefault();
          void act(
            async () => `Snapshot ${(await api.snapshot(workflowId, description.value)).id} taken`,
          );
        },
      },
      h("label", { for: "snapshot-description" }, "Description", description),
      h("button", { type: "submit" }, "Take snapshot"),
    ),
    error,
    h(
      "table",
      { "aria-label": "Snapshots" },
      h(
        "tr",
        {},
        ["version", "description", "taken", "by", ""].map((c) => h("th", {}, c)),
      ),
      [...snapshots].reverse().map((snapshot) =>
        h(
          "tr",
          { "data-snapshot": snapshot.id },
          h("td", {}, `v${snapshot.version}`),
          h("td", {}, snapshot.description),
          h("td", {}, time(snapshot.createdAt)),
          h("td", {}, snapshot.author),
          h(
            "td",
            {},
            h(
              "button",
              {
                type: "button",
                "aria-label": `Restore the snapshot of v${snapshot.version}`,
                onclick: () =>
                  void act(
                    async () =>
                      `Restored as v${(await api.restore(workflowId, snapshot.id)).version.version}`,
                  ),
              },
              "Restore",
            ),
          ),
        ),
      ),
    ),
  );
}
