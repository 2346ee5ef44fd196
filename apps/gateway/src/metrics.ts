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
  ];
}

/** Every numeric member of each workflow's metrics (nested ones joined by `_`) as a gauge. */
function workflowFamilies(workflows: ReadonlyMap<string, Record<string, unknown>>): Family[] {
  const families = new Map<string, Sample[]>();
  for (const [workflow, metrics] of workflows) {
    for (const [key, value] of flatten(metrics)) {
      const name = `chorus_workflow_${key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()}`;
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
