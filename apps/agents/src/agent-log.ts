/** How much a log line matters. */
export type LogLevel = "info" | "warn" | "error";

/** Who logs: the agent a line is about. */
export interface LogSource {
  type: string;
  agentId: string;
  workflowId: string;
}

/**
 * Writes one structured log line (JSON, so Workers Logs can filter on its fields).
 * @param level how much it matters
 * @param source the agent
 * @param message what happened
 * @param fields anything else worth keeping, as JSON
 */
export function agentLog(
  level: LogLevel,
  source: LogSource,
  message: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ level, ...source, message, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/**
 * @param error anything thrown
 * @returns its message, for a log line or a task's `error`
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
