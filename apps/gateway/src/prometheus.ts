/** One sample: a metric name, its labels and its value. */
export interface Sample {
  name: string;
  labels?: Record<string, string>;
  value: number;
}

/** A metric family: its samples under one `# HELP` and `# TYPE`. */
export interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge";
  samples: Sample[];
}

/**
 * Renders metric families in the Prometheus text exposition format (version 0.0.4).
 * @param families the families, each with its samples
 * @returns the text, newline-terminated
 * @example
 * render([{ name: "up", help: "Whether it answers", type: "gauge", samples: [{ name: "up", value: 1 }] }]);
 */
export function render(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (family.samples.length === 0) continue;
    lines.push(
      `# HELP ${family.name} ${family.help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}`,
    );
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples)
      lines.push(`${sample.name}${labels(sample.labels)} ${number(sample.value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The media type of the text format. */
export const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

function labels(set: Record<string, string> | undefined): string {
  if (set === undefined || Object.keys(set).length === 0) return "";
  const escaped = Object.entries(set).map(
    ([key, value]) =>
      `${key}="${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`,
  );
  return `{${escaped.join(",")}}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}
