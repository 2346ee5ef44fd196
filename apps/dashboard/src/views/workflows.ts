import type { WorkflowRecord } from "@chorus/core";
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { errorText, time } from "../format.ts";

const STATUSES = ["pending", "running", "paused", "completed", "failed", "cancelled"];
const REFRESH_MS = 3000;

/**
 * The workflows, newest first, filtered by status and tag (kept in the URL's hash).
 * @param main where to draw
 * @param query `status` and `tag`
 * @returns stops the refresh
 */
export function workflowsView(main: HTMLElement, query: URLSearchParams): () => void {
  const status = query.get("status") ?? "";
  const tag = query.get("tag") ?? "";
  const statusSelect = h(
    "select",
    { id: "filter-status", name: "status" },
    h("option", { value: "" }, "any"),
    STATUSES.map((s) => h("option", { value: s, selected: s === status }, s)),
  );
  const tagInput = h("input", { id: "filter-tag", name: "tag", value: tag, placeholder: "tag" });
  const apply = (event?: Event) => {
    event?.preventDefault();
    const next = new URLSearchParams();
    if (statusSelect.value !== "") next.set("status", statusSelect.value);
    if (tagInput.value.trim() !== "") next.set("tag", tagInput.value.trim());
    location.hash = `#/workflows${next.size > 0 ? `?${next}` : ""}`;
  };
  statusSelect.addEventListener("change", () => apply());
  const body = h("tbody");
  const more = h("div");
  replace(
    main,
    h("h1", {}, "Workflows"),
    h(
      "form",
      { class: "inline", role: "search", onsubmit: apply },
      h("label", { for: "filter-status" }, "Status", statusSelect),
      h("label", { for: "filter-tag" }, "Tag", tagInput),
      h("button", { type: "submit" }, "Filter"),
    ),
    h(
      "section",
      { class: "card" },
      h(
        "table",
        { "aria-label": "Workflows" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["name", "status", "priority", "tags", "updated", "id"].map((c) => h("th", {}, c)),
          ),
        ),
        body,
      ),
      more,
    ),
  );
  let shown = 50;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  async function load(): Promise<void> {
    try {
      const rows: WorkflowRecord[] = [];
      let cursor: string | undefined;
      let next: string | null = null;
      do {
        const page = await api.workflows({ status, tag, ...(cursor ? { cursor } : {}) });
        rows.push(...page.workflows);
        next = page.nextCursor;
        cursor = next ?? undefined;
      } while (next !== null && rows.length < shown);
      if (stopped) return;
      replace(
        body,
        rows.length === 0
          ? h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No workflows."))
          : rows.map(row),
      );
      replace(
        more,
        next === null
          ? null
          : h(
              "button",
              {
                type: "button",
                onclick: () => {
                  shown += 50;
                  void load();
                },
              },
              "Show more",
            ),
      );
    } catch (error) {
      if (!stopped)
        replace(body, h("tr", {}, h("td", { colspan: 6, class: "error" }, errorText(error))));
    }
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void load(), REFRESH_MS);
  }
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function row(workflow: WorkflowRecord) {
  return h(
    "tr",
    {},
    h("td", {}, h("a", { href: `#/workflows/${workflow.id}` }, workflow.name)),
    h("td", {}, h("span", { class: `badge ${workflow.status}` }, workflow.status)),
    h("td", {}, workflow.priority),
    h(
      "td",
      {},
      workflow.tags.map((tag) =>
        h("a", { class: "badge", href: `#/workflows?tag=${encodeURIComponent(tag)}` }, tag),
      ),
    ),
    h("td", {}, time(workflow.updatedAt)),
    h("td", { class: "mono muted" }, workflow.id),
  );
}
