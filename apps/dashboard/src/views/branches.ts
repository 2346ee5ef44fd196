import type { Branch } from "@chorus/core";
import { api } from "../api.ts";
import { h } from "../dom.ts";
import { time } from "../format.ts";
import { panelAction } from "./panel-action.ts";

/**
 * Branches: a form that creates one from the head of `main`, and a Merge button on each other
 * branch (into the branch picked beside it, `main` unless changed).
 * @param workflowId the workflow
 * @param branches the branches
 * @param changed called after a branch is created or merged
 * @returns the section's content
 */
export function branchPanel(
  workflowId: string,
  branches: readonly Branch[],
  changed: () => void,
): HTMLElement {
  const name = h("input", {
    id: "branch-name",
    name: "name",
    placeholder: "agents/planner",
    required: true,
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
            async () => `Branch ${(await api.branch(workflowId, name.value.trim())).name} created`,
          );
        },
      },
      h("label", { for: "branch-name" }, "New branch", name),
      h("button", { type: "submit" }, "Create branch"),
    ),
    error,
    h(
      "table",
      { "aria-label": "Branches" },
      h(
        "tr",
        {},
        ["branch", "head", "from", "created", ""].map((c) => h("th", {}, c)),
      ),
      branches.map((branch) => {
        const into = h(
          "select",
          { "aria-label": `Merge ${branch.name} into` },
          branches
            .filter((other) => other.name !== branch.name)
            .map((other) =>
              h("option", { value: other.name, selected: other.name === "main" }, other.name),
            ),
        );
        return h(
          "tr",
          { "data-branch": branch.name },
          h("td", {}, branch.name),
          h("td", {}, `v${branch.head}`),
          h("td", {}, branch.createdFrom === null ? "—" : `v${branch.createdFrom}`),
          h("td", {}, time(branch.createdAt)),
          h(
            "td",
            {},
            branches.length < 2
              ? null
              : h(
                  "span",
                  { class: "row" },
                  into,
                  h(
                    "button",
                    {
                      type: "button",
                      "aria-label": `Merge ${branch.name}`,
                      onclick: () =>
                        void act(async () => {
                          const result = await api.merge(workflowId, branch.name, into.value);
                          return `Merged ${branch.name} into ${into.value} as v${result.version.version} (${result.origin})`;
                        }),
                    },
                    "Merge",
                  ),
                ),
          ),
        );
      }),
    ),
  );
}
