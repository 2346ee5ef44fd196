import type { ComponentHealth } from "@chorus/core";
import type { Family, Sample } from "./prometheus.ts";
import { requestSeries } from "./request-metrics.ts";

/**
 * The gateway's metric families: callee health, this isolate's request counts and durations,
 * and the counters of any workflows asked for.
 * @param components each callee's health check
 * @param workflows per-workflow metrics from the state manager, keyed by workflow id
 * @returns the families, ready for {@link render}
 */
export function collectFamilies(
  components: Record<string, ComponentHealth>,
  workflows: ReadonlyMap<string, Record<string, unknown>>,
): Family[] {
  const component = Object.entries(components);
  const series = requestSeries();
  return [
    {
      name: "chorus_up",
      help: "Whether a component answers its health check through its binding (1) or not (0).",
      type: "gauge",
      samples: component.map(([name, health]) => ({
        name: "chorus_up",
        labels: { component: name },
        value: health.status === "up" ? 1 : 0,
      })),
    },
    {
      name: "chorus_ping_seconds",
      help: "Round trip of the component's health check.",
      type: "gauge",
      samples: component.map(([name, health]) => ({
        name: "chorus_ping_seconds",
        labels: { component: name },
        value: health.latencyMs / 1000,
      })),
    },
    {
      name: "chorus_gateway_requests_total",
      help: "Requests served by this gateway isolate, by method, route pattern and status.",
      type: "counter",
      samples: series.map(({ labels, count }) => ({
        name: "chorus_gateway_requests_total",
        labels: { method: labels.method, route: labels.route, status: String(labels.status) },
        value: count,
      })),
    },
    {
      name: "chorus_gateway_request_seconds_total",
      help: "Time spent serving those requests (workerd's clock advances only on I/O).",
      type: "counter",
      samples: series.map(({ labels, seconds }) => ({
        name: "chorus_gateway_request_seconds_total",
        labels: { method: labels.method, route: labels.route, status: String(labels.status) },
        value: seconds,
      })),
    },
    ...workflowFamilies(workflows),
    ...conflictTotals(workflows),
  ];
}

/** The commit outcomes summed over workflows, as `chorus_conflict_*` families. */
const OUTCOMES = {
  concurrentCommits: "Commits whose base was older than the head",
  concurrentMerged: "Of those, merged cleanly (no path changed on both sides)",
  concurrentResolved: "Of those, committed after a strategy settled an overlap",
  concurrentQueued: "Of those, queued as a conflict for someone to resolve",
} as const;

/**
 * The concurrent commits of the workflows asked for, summed, and their auto-resolution rate:
 * (merged + resolved) ÷ concurrent, 1 when there were none. What a user means by the rate is
 * per commit, not per overlapping path (issue 18).
 */
function conflictTotals(workflows: ReadonlyMap<string, Record<string, unknown>>): Family[] {
  if (workflows.size === 0) return [];
  const sums = Object.fromEntries(
    Object.keys(OUTCOMES).map((key) => [
      key,
      [...workflows.values()].reduce(
        (sum, metrics) => sum + (typeof metrics[key] === "number" ? metrics[key] : 0),
        0,
      ),
    ]),
  ) as Record<keyof typeof OUTCOMES, number>;
  const rate =
    sums.concurrentCommits === 0
      ? 1
      : (sums.concurrentMerged + sums.concurrentResolved) / sums.concurrentCommits;
  const gauge = (name: string, help: string, value: number): Family => ({
    name,
    help: `${help}, over the workflows asked for.`,
    type: "gauge",
    samples: [{ name, value }],
  });
  return [
    ...Object.entries(OUTCOMES).map(([key, help]) =>
      gauge(`chorus_conflict_${snake(key)}`, help, sums[key as keyof typeof OUTCOMES]),
    ),
    gauge(
      "chorus_conflict_auto_resolution_rate",
      "(Merged + resolved) ÷ concurrent commits, 1 when there were none",
      rate,
    ),
  ];
}

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Every numeric member of each workflow's metrics (nested ones joined by `_`) as a gauge. */
function workflowFamilies(workflows: ReadonlyMap<string, Record<string, unknown>>): Family[] {
  const families = new Map<string, Sample[]>();
  for (const [workflow, metrics] of workflows) {
    for (const [key, value] of flatten(metrics)) {
      const name = `chorus_workflow_${snake(key)}`;
      const samples = families.get(name) ?? [];
      samples.push({ name, labels: { workflow }, value });
      families.set(name, samples);
    }
  }
  return [...families].map(([name, samples]) => ({
    name,
    help: `The state manager's ${name.slice("chorus_workflow_".length)} for the workflow.`,
    type: "gauge",
    samples,
  }));
}

function flatten(value: Record<string, unknown>, prefix = ""): Array<[string, number]> {
  return Object.entries(value).flatMap(([key, member]): Array<[string, number]> => {
    const name = prefix === "" ? key : `${prefix}_${key}`;
    if (typeof member === "number" && Number.isFinite(member)) return [[name, member]];
    if (typeof member === "object" && member !== null && !Array.isArray(member)) {
      return flatten(member as Record<string, unknown>, name);
    }
    return [];
  });
}
