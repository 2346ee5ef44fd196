import type { AgentRecord, Task } from "@chorus/core";
import { h } from "../dom.ts";
import { relative } from "../format.ts";

const STATUSES = [
  "pending",
  "ready",
  "claimed",
  "completed",
  "failed",
  "dead",
  "cancelled",
] as const;

/**
 * The workflow's tasks in one column per status, each with its assignee, attempt and lease.
 * @param tasks the tasks
 * @returns the board's element
 */
export function taskBoard(tasks: readonly Task[]): HTMLElement {
  return h(
    "div",
    { class: "columns" },
    STATUSES.map((status) => {
      const list = tasks.filter((task) => task.status === status);
      return h(
        "div",
        { "data-status": status },
        h(
          "h3",
          { class: "muted", style: "font-size:12px;margin:0 0 4px" },
          `${status} (${list.length})`,
        ),
        h(
          "ul",
          {},
          list.map((task) =>
            h(
              "li",
              { "data-task": task.id },
              h("strong", {}, task.title ?? task.id),
              " ",
              task.type === undefined ? null : h("span", { class: "muted" }, task.type),
              task.assignee ? h("div", {}, `agent ${task.assignee.slice(0, 11)}…`) : null,
              task.attempt ? h("div", { class: "muted" }, `attempt ${task.attempt}`) : null,
              task.lease
                ? h("div", { class: "muted" }, `lease ends ${relative(task.lease.expiresAt)}`)
                : null,
            ),
          ),
        ),
      );
    }),
  );
}

/**
 * The agents working on the workflow: status, leases held, last heartbeat.
 * @param agents the agents
 * @returns the table
 */
export function agentTable(agents: readonly AgentRecord[]): HTMLElement {
  if (agents.length === 0) return h("p", { class: "muted" }, "No agents on this workflow.");
  return h(
    "table",
    { "aria-label": "Agents" },
    h(
      "tr",
      {},
      ["agent", "status", "leases", "last heartbeat", "capabilities"].map((c) => h("th", {}, c)),
    ),
    agents.map((agent) =>
      h(
        "tr",
        { "data-agent": agent.id },
        h("td", {}, agent.name, " ", h("span", { class: "muted" }, agent.type)),
        h("td", {}, h("span", { class: `badge ${agent.status}` }, agent.status)),
        h("td", {}, `${agent.leases} / ${agent.maxConcurrency}`),
        h("td", {}, relative(agent.lastSeenAt)),
        h("td", { class: "muted" }, agent.capabilities.join(", ")),
      ),
    ),
  );
}
