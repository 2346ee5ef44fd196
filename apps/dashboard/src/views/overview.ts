import type { Overview } from "@chorus/core";
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { errorText, markFirstRender, relative, time } from "../format.ts";

// The overview is gathered on the gateway per request; this often keeps it current.
const REFRESH_MS = 2000;

/**
 * The overview: workflows by status, agents and their load, tasks, open conflicts, activity.
 * @param main where to draw
 * @returns stops the refresh
 */
export function overviewView(main: HTMLElement): () => void {
  replace(main, h("h1", {}, "Overview"), h("p", { class: "muted" }, "Loading…"));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  async function load(): Promise<void> {
    try {
      const overview = await api.overview();
      if (!stopped) {
        draw(main, overview);
        markFirstRender();
      }
    } catch (error) {
      if (!stopped)
        replace(main, h("h1", {}, "Overview"), h("p", { class: "error" }, errorText(error)));
    }
    if (!stopped) timer = setTimeout(() => void load(), REFRESH_MS);
  }
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function figures(entries: [string, number | string][], link?: (key: string) => string) {
  return h(
    "dl",
    { class: "figures" },
    entries.map(([key, value]) =>
      h(
        "div",
        {},
        h("dt", {}, key),
        h("dd", {}, link ? h("a", { href: link(key) }, String(value)) : String(value)),
      ),
    ),
  );
}

function draw(main: HTMLElement, o: Overview): void {
  const rate = (n: number) => n.toFixed(1);
  replace(
    main,
    h("h1", {}, "Overview"),
    h(
      "div",
      { class: "grid" },
      h(
        "section",
        { class: "card", "aria-labelledby": "ov-workflows" },
        h("h2", { id: "ov-workflows" }, `Workflows (${o.workflows.total})`),
        figures(Object.entries(o.workflows.byStatus), (status) => `#/workflows?status=${status}`),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "ov-tasks" },
        h("h2", { id: "ov-tasks" }, "Tasks by status"),
        figures(Object.entries(o.tasks)),
        h("p", { class: "muted" }, `over the ${o.sampled} newest workflows`),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "ov-rates" },
        h("h2", { id: "ov-rates" }, "Rates"),
        figures([
          ["commits / min", rate(o.rates.commitsPerMinute)],
          ["conflicts / min", rate(o.rates.conflictsPerMinute)],
          ["agents online", `${o.agents.online} / ${o.agents.total}`],
          ["open conflicts", o.conflicts.open],
        ]),
        h("p", { class: "muted" }, `over the last ${o.rates.windowMs / 60000} min`),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "ov-agents" },
        h("h2", { id: "ov-agents" }, "Agents"),
        o.agents.load.length === 0
          ? h("p", { class: "muted" }, "No agents registered.")
          : h(
              "table",
              {},
              h(
                "tr",
                {},
                h("th", {}, "agent"),
                h("th", {}, "status"),
                h("th", {}, "load"),
                h("th", {}, "seen"),
              ),
              o.agents.load.map((agent) =>
                h(
                  "tr",
                  {},
                  h("td", {}, agent.name, " ", h("span", { class: "muted" }, agent.type)),
                  h("td", {}, h("span", { class: `badge ${agent.status}` }, agent.status)),
                  h(
                    "td",
                    {},
                    h("meter", {
                      min: 0,
                      max: agent.maxConcurrency,
                      value: agent.leases,
                      "aria-label": `load of ${agent.name}`,
                    }),
                    ` ${agent.leases}/${agent.maxConcurrency}`,
                  ),
                  h("td", {}, relative(agent.lastSeenAt)),
                ),
              ),
            ),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "ov-conflicts" },
        h("h2", { id: "ov-conflicts" }, `Open conflicts (${o.conflicts.open})`),
        o.conflicts.byWorkflow.length === 0
          ? h("p", { class: "muted" }, "None.")
          : h(
              "ul",
              {},
              o.conflicts.byWorkflow.map((entry) =>
                h(
                  "li",
                  {},
                  h("a", { href: `#/workflows/${entry.workflowId}` }, entry.workflowName),
                  ` ${entry.open} open`,
                ),
              ),
            ),
      ),
      h(
        "section",
        { class: "card wide", "aria-labelledby": "ov-activity" },
        h("h2", { id: "ov-activity" }, "Recent activity"),
        h(
          "table",
          {},
          h(
            "tr",
            {},
            h("th", {}, "time"),
            h("th", {}, "workflow"),
            h("th", {}, "version"),
            h("th", {}, "author"),
            h("th", {}, "change"),
          ),
          o.activity.map((entry) =>
            h(
              "tr",
              {},
              h("td", {}, time(entry.timestamp)),
              h("td", {}, h("a", { href: `#/workflows/${entry.workflowId}` }, entry.workflowName)),
              h("td", {}, `v${entry.version}`, entry.branch === "main" ? "" : ` (${entry.branch})`),
              h("td", {}, entry.author),
              h("td", {}, entry.changeDescription),
            ),
          ),
        ),
      ),
    ),
  );
}
