import type { StateVersion } from "@chorus/core";
import { h, svg } from "../dom.ts";
import { time } from "../format.ts";

const ROW = 28;
const LANE = 16;

/** What the timeline draws and how it reports a pick. */
export interface TimelineInput {
  /** newest first */
  versions: readonly StateVersion[];
  /** how each version came to be (`fast-forward`, `merge`, `restore`, …), from the audit log */
  origins: ReadonlyMap<number, string>;
  /** the versions the diff compares */
  from: number | undefined;
  to: number | undefined;
  /** the reader picked a version as one end of the diff */
  pick(end: "from" | "to", version: number): void;
}

/**
 * The version history as a graph, like a git client's: one lane per branch, an edge from each
 * version to each parent (a merge has two), and beside each node its author, description, time
 * and origin.
 * @param input the versions and the diff's ends
 * @returns the timeline's element
 */
export function timeline(input: TimelineInput): HTMLElement {
  const { versions } = input;
  const lanes = new Map<string, number>([["main", 0]]);
  for (const version of [...versions].reverse()) {
    if (!lanes.has(version.branch)) lanes.set(version.branch, lanes.size);
  }
  // Parents are named by version id; a parent paged out of the list is drawn as a line down.
  const row = new Map(versions.map((version, index) => [version.id, index]));
  const x = (branch: string) => 10 + (lanes.get(branch) ?? 0) * LANE;
  const y = (index: number) => index * ROW + ROW / 2;
  const graph = svg("svg", {
    width: 20 + lanes.size * LANE,
    height: Math.max(versions.length * ROW, 1),
    "aria-hidden": "true",
    class: "graph",
  });
  versions.forEach((version, index) => {
    for (const parent of version.parents) {
      const parentIndex = row.get(parent);
      const parentVersion = parentIndex === undefined ? undefined : versions[parentIndex];
      const x1 = x(version.branch);
      const y1 = y(index);
      const x2 = parentVersion === undefined ? x1 : x(parentVersion.branch);
      const y2 = parentIndex === undefined ? versions.length * ROW : y(parentIndex);
      // Over to the parent's lane within one row, then straight down to it.
      const turn = Math.min(y1 + ROW, y2);
      const mid = (y1 + turn) / 2;
      graph.append(
        svg("path", {
          d: `M${x1} ${y1} C${x1} ${mid} ${x2} ${mid} ${x2} ${turn} L${x2} ${y2}`,
          fill: "none",
          stroke: "#8a94a8",
          "stroke-width": 1.5,
          "data-edge": `${version.version}-${parentVersion?.version ?? "older"}`,
        }),
      );
    }
  });
  versions.forEach((version, index) => {
    const merge = version.parents.length > 1;
    graph.append(
      svg("circle", {
        cx: x(version.branch),
        cy: y(index),
        r: merge ? 6 : 4.5,
        fill: merge ? "#fff" : lanes.get(version.branch) === 0 ? "#2557d6" : "#b25e00",
        stroke: lanes.get(version.branch) === 0 ? "#2557d6" : "#b25e00",
        "stroke-width": 2,
        "data-version": version.version,
      }),
    );
  });
  const rows = versions.map((version) => {
    const origin =
      input.origins.get(version.version) ??
      (version.parents.length > 1 ? "merge" : version.version === 1 ? "create" : "commit");
    const selected = version.version === input.from || version.version === input.to;
    return h(
      "tr",
      {
        class: selected ? "selected" : "",
        "data-version": version.version,
        style: `height:${ROW}px`,
      },
      h("td", { class: "mono" }, `v${version.version}`),
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            class: "link",
            "aria-label": `Diff from v${version.version}`,
            "aria-pressed": String(version.version === input.from),
            onclick: () => input.pick("from", version.version),
          },
          "from",
        ),
        h(
          "button",
          {
            type: "button",
            class: "link",
            "aria-label": `Diff to v${version.version}`,
            "aria-pressed": String(version.version === input.to),
            onclick: () => input.pick("to", version.version),
          },
          "to",
        ),
      ),
      h("td", {}, h("span", { class: "badge" }, version.branch)),
      h("td", {}, h("span", { class: `badge ${origin}`, "data-origin": origin }, origin)),
      h("td", {}, version.author),
      h(
        "td",
        { class: "desc", title: version.changeDescription },
        version.changeDescription || h("span", { class: "muted" }, "(no description)"),
      ),
      h("td", { class: "muted" }, time(version.timestamp)),
    );
  });
  return h(
    "div",
    { class: "timeline" },
    h(
      "div",
      { style: "display:flex;align-items:flex-start" },
      h("div", { class: "graph-cell" }, graph),
      h(
        "table",
        { "aria-label": "Version history", style: "border-spacing:0" },
        h("tbody", {}, rows),
      ),
    ),
  );
}
