import { h, redraw, replace } from "../dom.ts";
import { errorText, markFirstRender, time } from "../format.ts";
import { follow } from "../live.ts";
import type { View } from "../main.ts";
import { childPointer } from "../pointer.ts";
import { branchPanel } from "./branches.ts";
import { conflictForm } from "./conflicts.ts";
import { showDiff } from "./diff.ts";
import { jsonTree } from "./json-tree.ts";
import { reviewPanel } from "./reviews.ts";
import { snapshotPanel } from "./snapshots.ts";
import { agentTable, taskBoard } from "./tasks.ts";
import { timeline } from "./timeline.ts";
import { type Board, loadBoard, loadVersions, type Versions } from "./workflow-data.ts";

function section(id: string, title: string, ...content: HTMLElement[]) {
  const wide = ["state", "history", "diff", "conflicts", "reviews", "tasks"].includes(id);
  return h(
    "section",
    { class: wide ? "card half" : "card", id, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    ...content,
  );
}

/**
 * One workflow: its state, history graph, diffs, conflicts, snapshots, branches, tasks and
 * agents, all redrawn as versions arrive on the change stream.
 * @param id the workflow's id
 * @returns the view
 */
export function workflowView(id: string): View {
  return (main) => {
    const title = h("h1", {}, "Workflow");
    const meta = h("p", { class: "muted" });
    const live = h("span", { class: "live off", id: "live", "aria-live": "polite" }, "connecting…");
    const stateBox = h("div");
    const stateHead = h("p", { class: "muted" });
    const timelineBox = h("div");
    const diffFrom = h("select", { id: "diff-from", name: "from" });
    const diffTo = h("select", { id: "diff-to", name: "to" });
    const diffOut = h("div", { id: "diff-output" });
    const conflictsBox = h("div");
    const snapshotsBox = h("div");
    const branchesBox = h("div");
    const reviewsBox = h("div");
    const tasksBox = h("div");
    const agentsBox = h("div");
    const open = new Set<string>([""]);
    let firstDraw = true;
    let data: Versions | undefined;

    const runDiff = () => {
      const from = Number(diffFrom.value);
      const to = Number(diffTo.value);
      if (from > 0 && to > 0) void showDiff(id, from, to, diffOut);
    };
    // Until the reader picks versions, the diff's ends follow the head and its predecessor.
    let picked = false;
    for (const select of [diffFrom, diffTo]) {
      select.addEventListener("change", () => {
        picked = true;
      });
    }
    const pick = (end: "from" | "to", version: number) => {
      picked = true;
      (end === "from" ? diffFrom : diffTo).value = String(version);
      if (data) drawTimeline(data);
      runDiff();
    };
    const drawTimeline = (d: Versions) => {
      const from = Number(diffFrom.value) || undefined;
      const to = Number(diffTo.value) || undefined;
      const key = JSON.stringify([d.versions, [...d.origins], from, to]);
      redraw(timelineBox, key, () =>
        timeline({ versions: d.versions, origins: d.origins, from, to, pick }),
      );
    };

    const drawBoard = (d: Board) => {
      title.textContent = d.detail.name;
      replace(
        meta,
        h("span", { class: `badge ${d.detail.status}` }, d.detail.status),
        " ",
        h("span", { class: "mono" }, d.detail.id),
        ` · priority ${d.detail.priority} · ${d.detail.agentCount} agents · updated ${time(d.detail.updatedAt)} `,
        d.detail.tags.map((tag) =>
          h("a", { class: "badge", href: `#/workflows?tag=${encodeURIComponent(tag)}` }, tag),
        ),
      );
      // Keyed by the conflicts' ids, so a value being edited is not lost to a live update.
      redraw(conflictsBox, d.conflicts.map((c) => c.id).join(), () =>
        d.conflicts.length === 0
          ? h("p", { class: "muted" }, "No open conflicts.")
          : d.conflicts.map((c) => conflictForm(id, c, refresh)),
      );
      redraw(snapshotsBox, JSON.stringify(d.snapshots), () =>
        snapshotPanel(id, d.snapshots, refresh),
      );
      redraw(branchesBox, JSON.stringify(d.branches), () => branchPanel(id, d.branches, refresh));
      redraw(reviewsBox, JSON.stringify(d.reviews), () => reviewPanel(id, d.reviews, refresh));
      redraw(tasksBox, JSON.stringify(d.tasks), () => taskBoard(d.tasks));
      // Heartbeats move `lastSeenAt`, so the agents are redrawn each time: they hold no controls.
      replace(agentsBox, agentTable(d.agents));
    };

    const drawVersions = (d: Versions) => {
      data = d;
      if (firstDraw && d.head.state !== null && typeof d.head.state === "object") {
        for (const key of Object.keys(d.head.state)) open.add(childPointer("", key));
      }
      replace(
        stateHead,
        `main at v${d.head.version} · checksum `,
        h("code", {}, d.head.checksum.slice(0, 16)),
        "…",
      );
      stateHead.dataset.version = String(d.head.version);
      redraw(stateBox, d.head.checksum, () => jsonTree(d.head.state, open));
      // Keep the reader's choice of versions; by default compare the head with its parent.
      const keepFrom = picked ? diffFrom.value : "";
      const keepTo = picked ? diffTo.value : "";
      const options = (keep: string) =>
        d.versions.map((v) =>
          h(
            "option",
            { value: v.version, selected: String(v.version) === keep },
            `v${v.version} ${v.branch}`,
          ),
        );
      const versionsKey = d.versions.map((v) => v.version).join();
      redraw(diffFrom, versionsKey, () =>
        options(keepFrom || String(d.versions[1]?.version ?? d.versions[0]?.version ?? "")),
      );
      redraw(diffTo, versionsKey, () => options(keepTo || String(d.versions[0]?.version ?? "")));
      drawTimeline(d);
      if (firstDraw) {
        markFirstRender();
        startFollowing(Math.max(0, ...d.versions.map((v) => v.version)));
      }
      firstDraw = false;
    };

    let stopFollowing = () => {};
    // Live from the stream, from the newest version read: each version (any branch) reloads what
    // it may change. Agents' heartbeats commit nothing, so the page also looks every few seconds.
    const startFollowing = (since: number) => {
      stopFollowing = follow(id, since, {
        onEvent: (event) => {
          live.textContent = `live · v${event.version}`;
          refresh();
        },
        onLive: (on) => {
          live.className = on ? "live" : "live off";
          if (!on) live.textContent = "reconnecting…";
          else if (!live.textContent?.startsWith("live")) live.textContent = "live";
        },
      });
    };

    let loading: Promise<void> | undefined;
    let again = false;
    // One load at a time; events arriving meanwhile cause one more load after it.
    function refresh(): void {
      if (loading) {
        again = true;
        return;
      }
      loading = Promise.all([
        loadVersions(id).then((d) => {
          if (!stopped) drawVersions(d);
        }),
        loadBoard(id).then((d) => {
          if (!stopped) drawBoard(d);
        }),
      ])
        .then(() => undefined)
        .catch((error: unknown) => {
          if (!stopped) replace(stateBox, h("p", { class: "error" }, errorText(error)));
        })
        .finally(() => {
          loading = undefined;
          if (again && !stopped) {
            again = false;
            refresh();
          }
        });
    }

    replace(
      main,
      h("p", {}, h("a", { href: "#/workflows" }, "← Workflows")),
      h("div", { class: "row" }, title, live),
      meta,
      h(
        "div",
        { class: "grid" },
        section("state", "State", stateHead, stateBox),
        section("history", "History", timelineBox),
        section(
          "diff",
          "Diff",
          h(
            "form",
            {
              class: "inline",
              onsubmit: (event: Event) => {
                event.preventDefault();
                runDiff();
              },
            },
            h("label", { for: "diff-from" }, "From", diffFrom),
            h("label", { for: "diff-to" }, "To", diffTo),
            h("button", { type: "submit" }, "Show diff"),
          ),
          diffOut,
        ),
        section("conflicts", "Open conflicts", conflictsBox),
        section("snapshots", "Snapshots", snapshotsBox),
        section("branches", "Branches", branchesBox),
        section("reviews", "Reviews", reviewsBox),
        section("tasks", "Tasks", tasksBox),
        section("agents", "Agents", agentsBox),
      ),
    );
    let stopped = false;
    refresh();
    const timer = setInterval(refresh, 5000);
    return () => {
      stopped = true;
      stopFollowing();
      clearInterval(timer);
    };
  };
}
