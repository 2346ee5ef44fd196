import type { Overview } from "@chorus/core";
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { errorText, markFirstRender, relative, time } from "../format.ts";
import { followOverview } from "../live-overview.ts";

// While the live socket is down, the overview is polled this often.
const REFRESH_MS = 2000;

/**
 * The overview: workflows by status, agents and their load, tasks, open conflicts, activity.
 * It follows the Integration Dashboard's live socket; it loads the overview once at first (for
 * the first render) and polls only while the socket is down.
 * @param main where to draw
 * @returns stops following
 */
export function overviewView(main: HTMLElement): () => void {
  replace(main, h("h1", {}, "Overview"), h("p", { class: "muted" }, "Loading…"));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let live = false;
  // Kept across redraws: whether the page follows the socket or polls.
  const badge = h("span", { class: "live off", id: "live", "aria-live": "polite" }, "polling");
  // The newest overview drawn, so a slow poll never draws over a newer push.
  let shown = 0;
  const show = (overview: Overview) => {
    if (stopped || overview.generatedAt < shown) return;
    shown = overview.generatedAt;
    draw(main, overview, badge);
    markFirstRender();
  };
  async function load(): Promise<void> {
    try {
      show(await api.overview());
    } catch (error) {
      if (!stopped && !live)
        replace(main, h("h1", {}, "Overview"), h("p", { class: "error" }, errorText(error)));
    }
  }
  const poll = async () => {
    if (!live) await load();
    if (!stopped) timer = setTimeout(() => void poll(), REFRESH_MS);
  };
  void load().then(() => {
    if (!stopped) timer = setTimeout(() => void poll(), REFRESH_MS);
  });
  const unfollow = followOverview({
    onOverview: show,
    onLive(open) {
      live = open;
      badge.className = open ? "live" : "live off";
      badge.textContent = open ? "live" : "polling";
    },
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    unfollow();
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

function draw(main: HTMLElement, o: Overview, badge: HTMLElement): void {
  const rate = (n: number) => n.toFixed(1);
  replace(
    main,
    h("div", { class: "row" }, h("h1", {}, "Overview"), badge),
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
