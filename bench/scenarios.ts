import type autocannon from "autocannon";
import type { Seed } from "./seed.ts";
import { type BodyTemplate, commitBody, patchBody } from "./state-doc.ts";

/** What a scenario's requests do. */
export type Operation =
  | "noop"
  | "noop-write"
  | "read"
  | "commit"
  | "patch"
  | "refused-by-gateway"
  | "refused-by-state-manager";

/** One measured load: an operation over some workflows at some concurrency. */
export interface Scenario {
  /** e.g. `commit ×1000 c16` */
  name: string;
  operation: Operation;
  /** how many workflows the requests pick from at random (1: always the first) */
  workflows: number;
  connections: number;
  /** `admin` skips the per-request TokenStore lookup a writer token costs */
  token: "writer" | "admin";
}

/** The status each operation answers; any other is counted as unexpected. */
export const EXPECTED_STATUS: Readonly<Record<Operation, number>> = {
  noop: 200,
  "noop-write": 200,
  read: 200,
  commit: 201,
  patch: 201,
  "refused-by-gateway": 422,
  "refused-by-state-manager": 422,
};

/**
 * The operations the targets are about, in report order, each beside its floor: the no-op, and
 * for commits the no-op that also makes one durable write.
 */
export const MAIN_OPERATIONS: readonly Operation[] = [
  "noop",
  "noop-write",
  "read",
  "commit",
  "patch",
];

/** What to include in a round. */
export interface ScenarioOptions {
  connections: number;
  /** how many workflows the spread scenarios pick from */
  workflows: number;
  /** each one-workflow operation on one connection too: the unloaded round trip */
  serial: boolean;
  /** the commit's stages: no-op with the admin token, commits refused at the gateway and at the state manager */
  ladder: boolean;
  /** `PATCH` commits beside `POST` */
  patch: boolean;
}

/**
 * The scenarios of one round: every main operation on one workflow and spread over many at the
 * loaded concurrency, then the optional single-connection and stage-by-stage runs.
 * @param options what to include
 * @returns the scenarios, in a fixed order
 */
export function scenarioList(options: ScenarioOptions): Scenario[] {
  const c = options.connections;
  const operations = MAIN_OPERATIONS.filter((op) => op !== "patch" || options.patch);
  const list: Scenario[] = [];
  for (const workflows of [1, options.workflows]) {
    for (const operation of operations) list.push(scenario(operation, workflows, c));
  }
  if (options.ladder) {
    list.push(scenario("noop", 1, c, "admin"));
    list.push(scenario("refused-by-gateway", 1, c));
    list.push(scenario("refused-by-state-manager", 1, c));
  }
  if (options.serial) {
    for (const operation of operations) list.push(scenario(operation, 1, 1));
  }
  return list;
}

/**
 * Names and builds one scenario.
 * @param operation what the requests do
 * @param workflows how many workflows they pick from
 * @param connections concurrency
 * @param token `admin` to skip the TokenStore lookup
 * @returns the scenario
 */
export function scenario(
  operation: Operation,
  workflows: number,
  connections: number,
  token: Scenario["token"] = "writer",
): Scenario {
  const admin = token === "admin" ? " admin" : "";
  return {
    name: `${operation} ×${workflows} c${connections}${admin}`,
    operation,
    workflows,
    connections,
    token,
  };
}

/**
 * The autocannon request of a scenario: each request picks a workflow at random (or the first)
 * and, for commits, a fresh step number, so no two commits carry the same state.
 * @param scenario what to send
 * @param seed the workflows and the writer token
 * @param adminToken for the admin-token scenario
 * @returns the one request autocannon repeats, set up anew each time
 */
export function requestFor(scenario: Scenario, seed: Seed, adminToken: string): autocannon.Request {
  const { operation } = scenario;
  const ids = seed.workflowIds.slice(0, scenario.workflows);
  const token = scenario.token === "admin" ? adminToken : seed.writerToken;
  const bodies = bodiesFor(operation, ids.length);
  const suffix = isNoop(operation) ? "/noop" : "/state";
  const contentType = operation === "patch" ? "application/json-patch+json" : "application/json";
  let step = 0;
  return {
    method: methodOf(operation),
    path: `/api/workflows/${ids[0]}${suffix}`,
    headers: {
      authorization: `Bearer ${token}`,
      ...(bodies === undefined ? {} : { "content-type": contentType }),
    },
    setupRequest: (request) => {
      const index = ids.length === 1 ? 0 : Math.floor(Math.random() * ids.length);
      const next: autocannon.Request = {
        ...request,
        path: `/api/workflows/${ids[index]}${suffix}`,
      };
      const body = bodies?.[index];
      if (body !== undefined) next.body = body(++step);
      return next;
    },
  };
}

/** The floors: both go to `…/noop` and send no body. */
function isNoop(operation: Operation): operation is "noop" | "noop-write" {
  return operation === "noop" || operation === "noop-write";
}

function methodOf(operation: Operation): "GET" | "POST" | "PATCH" {
  if (operation === "noop" || operation === "read") return "GET";
  return operation === "patch" ? "PATCH" : "POST";
}

function bodiesFor(operation: Operation, count: number): BodyTemplate[] | undefined {
  if (isNoop(operation) || operation === "read") return undefined;
  if (operation === "patch") return Array.from({ length: count }, patchBody);
  return Array.from({ length: count }, (_, index) => commitBody(index, operation));
}
