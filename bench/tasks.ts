/**
 * `npm run tasks`: claim + complete cycles through the whole local stack (gateway → coordinator →
 * agent shard and task board), beside a 1 KB commit measured in the same run, for one workflow
 * with 10 agents and for 500 workflows with 10 agents each; one request at a time and with 10
 * at once. Then workerd's resident memory per workflow created with its agents and tasks.
 * 500, since the commits beside them go to as many more workflows: one local workerd holds about
 * 1,000 live workflows before SQLite's process-wide heap cap answers SQLITE_NOMEM.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "@chorus/core/bench/stats";
import { startStack } from "@chorus/devstack";
import { cpuBetween, sampleCpu } from "./cpu-usage.ts";
import { describeMachine } from "./machine.ts";
import { awaitFirstMaintenance } from "./maintenance.ts";
import {
  type BenchAgent,
  type Cycle,
  commit,
  copyWorkflow,
  createTask,
  createWorkflow,
  cycle,
  type Gateway,
  pool,
  registerAgent,
  stateBytes,
} from "./task-client.ts";
import { workerdRss } from "./workerd-memory.ts";

const WORKFLOWS = Number(process.env.TASKS_WORKFLOWS ?? 500);
const AGENTS = Number(process.env.TASKS_AGENTS ?? 10);
const CYCLES = Number(process.env.TASKS_CYCLES ?? 200);
const CONNECTIONS = Number(process.env.TASKS_CONNECTIONS ?? 10);
const WARMUP = 20;
/** How many setup requests run at once (workflows, agents, tasks). */
const SETUP = 16;
if (CYCLES + WARMUP > WORKFLOWS)
  throw new Error("TASKS_CYCLES + 20 must not exceed TASKS_WORKFLOWS");

const ms = (value: number) => value.toFixed(2);
const sleep = (wait: number) => new Promise((resolve) => setTimeout(resolve, wait));
const out = (text: string) => process.stdout.write(text);

/** A workflow, its agents, and which of them does each cycle. */
interface Board {
  workflowId: string;
  agents: BenchAgent[];
}

/**
 * One unit of work of a row: a cycle by an agent, a commit to a 1 KB workflow, and on one board
 * a commit to a copy of that board's state too (each transition is a commit of that state).
 */
interface Step {
  agent: BenchAgent;
  commitTo: string;
  copyTo?: { workflowId: string; taskId: string };
}

/** Each agent's cycle in progress: an agent holds one task at a time (`maxConcurrency` 1). */
const busy = new Map<string, Promise<unknown>>();

const machine = describeMachine();
const persistDir = await mkdtemp(join(tmpdir(), "chorus-tasks-"));
const stack = await startStack({
  port: 0,
  persist: persistDir,
  workerOutput: process.env.TASKS_WORKER_OUTPUT === "inherit" ? "inherit" : "ignore",
  benchFloors: true,
});
const gateway: Gateway = { url: stack.url, token: stack.token };
try {
  out(`${new Date().toISOString()}\n${machine}\n\n`);
  const single = await createWorkflow(gateway, 0);
  await sleep(2_000);

  // The spread boards first, alone, so workerd's growth is theirs.
  const rssBefore = workerdRss();
  const spread = await boards(WORKFLOWS, 2, 1);
  await sleep(2_000);
  const rssAfter = workerdRss();

  const serialBoard = (await boards(1, CYCLES + WARMUP, 1_000_001))[0];
  const loadedBoard = (await boards(1, CYCLES + WARMUP, 1_000_002))[0];
  const commitSpread = await pool(range(WORKFLOWS), SETUP, (i) =>
    createWorkflow(gateway, 2_000_000 + i),
  );
  if (serialBoard === undefined || loadedBoard === undefined) throw new Error("unreachable");
  const serialCopy = await copyWorkflow(gateway, serialBoard.workflowId, 3_000_000);
  const loadedCopy = await copyWorkflow(gateway, loadedBoard.workflowId, 3_000_001);
  out(`Seeded; waiting for the workflows' first maintenance alarms…\n\n`);
  await awaitFirstMaintenance(performance.now());

  out(
    `### Claim + complete beside a 1 KB commit (${CYCLES} of each per row, after ${WARMUP} unrecorded)\n\n`,
  );
  out(
    "| workflows × agents | connections | cycles/s | cycle p50 ms | cycle p99 ms | claim p50 | complete p50 | commits/s | commit p50 ms | commit p99 ms | cycle ÷ commit, p50 | commit/s ÷ cycle/s | board KB | board-sized commit p50 ms | cycle ÷ board-sized commit, p50 | cores: others |\n",
  );
  out(
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
  );
  const oneSteps = (board: Board, copyTo: Step["copyTo"]) =>
    range(CYCLES + WARMUP).map((i) => ({
      agent: board.agents[i % board.agents.length] as BenchAgent,
      commitTo: single,
      copyTo,
    }));
  out(
    `${await row(`1 × ${AGENTS}`, oneSteps(serialBoard, serialCopy), 1, serialBoard.workflowId)}\n`,
  );
  out(
    `${await row(`1 × ${AGENTS}`, oneSteps(loadedBoard, loadedCopy), CONNECTIONS, loadedBoard.workflowId)}\n`,
  );
  for (const connections of [1, CONNECTIONS]) {
    // Each row takes one task of as many different workflows, each by one of its own agents.
    const steps = shuffle(spread)
      .slice(0, CYCLES + WARMUP)
      .map((board) => ({
        agent: board.agents[Math.floor(Math.random() * board.agents.length)] as BenchAgent,
        commitTo: commitSpread[Math.floor(Math.random() * commitSpread.length)] as string,
      }));
    // Miniflare evicts an object after 10 s without requests: measure live ones.
    await pool(steps, SETUP, async (step) => {
      await stateBytes(gateway, step.agent.workflowId);
      await stateBytes(gateway, step.commitTo);
    });
    const sized = steps[0]?.agent.workflowId;
    out(`${await row(`${WORKFLOWS} × ${AGENTS}`, steps, connections, sized)}\n`);
  }

  const perWorkflow = (rssAfter - rssBefore) / WORKFLOWS / 1024;
  out(
    `\nworkerd RSS before and 2 s after creating ${WORKFLOWS} workflows (1 KB state), ${AGENTS} agents and 2 tasks each: ` +
      `${mib(rssBefore)} → ${mib(rssAfter)} MiB, ${perWorkflow.toFixed(1)} KiB per workflow (every worker, not only the coordinator)\n`,
  );
} finally {
  await stack.stop();
  await rm(persistDir, { recursive: true, force: true });
}

/**
 * Creates workflows, each with `AGENTS` agents limited to it and `tasks` ready tasks.
 * @param first the index the workflows' names start at
 */
async function boards(count: number, tasks: number, first: number): Promise<Board[]> {
  const workflowIds = await pool(range(count), SETUP, (i) => createWorkflow(gateway, first + i));
  const agents = await pool(
    workflowIds.flatMap((id) => range(AGENTS).map(() => id)),
    SETUP,
    (id) => registerAgent(gateway, id),
  );
  await pool(
    workflowIds.flatMap((id) => range(tasks).map(() => id)),
    SETUP,
    (id) => createTask(gateway, id),
  );
  return workflowIds.map((workflowId) => ({
    workflowId,
    agents: agents.filter((agent) => agent.workflowId === workflowId),
  }));
}

/**
 * Runs an agent's cycle once its previous one has ended. With several connections on one
 * workflow, the step after next can reach an agent still completing its task, whose claim then
 * finds no room; the wait is not part of the cycle's own times.
 */
function exclusive(agent: BenchAgent): Promise<Cycle> {
  const previous = busy.get(agent.id) ?? Promise.resolve();
  const next = previous.then(() => cycle(gateway, agent));
  busy.set(
    agent.id,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * Runs the steps' cycles, `connections` at a time, then as many 1 KB commits the same way; the
 * first {@link WARMUP} of each are not recorded. One at a time, cycles and commits alternate, so
 * both see the same moments of a shared machine.
 */
async function row(
  label: string,
  steps: Step[],
  connections: number,
  board: string | undefined,
): Promise<string> {
  const cycles: Cycle[] = [];
  const commits: number[] = [];
  const copies: number[] = [];
  let cycleSeconds = 0;
  let commitSeconds = 0;
  const cpuBefore = sampleCpu();
  if (connections === 1) {
    for (const [i, step] of steps.entries()) {
      const done = await cycle(gateway, step.agent);
      const took = await commit(gateway, step.commitTo, i);
      const copied = step.copyTo === undefined ? undefined : await copyCommit(step, i);
      if (i < WARMUP) continue;
      if (copied !== undefined) copies.push(copied);
      cycles.push(done);
      commits.push(took);
      cycleSeconds += (done.claim + done.complete) / 1000;
      commitSeconds += took / 1000;
    }
  } else {
    await pool(steps.slice(0, WARMUP), connections, (step) => exclusive(step.agent));
    let started = performance.now();
    cycles.push(...(await pool(steps.slice(WARMUP), connections, (s) => exclusive(s.agent))));
    cycleSeconds = (performance.now() - started) / 1000;
    await pool(steps.slice(0, WARMUP), connections, (step, i) => commit(gateway, step.commitTo, i));
    started = performance.now();
    commits.push(
      ...(await pool(steps.slice(WARMUP), connections, (step, i) =>
        commit(gateway, step.commitTo, i),
      )),
    );
    commitSeconds = (performance.now() - started) / 1000;
    const copied = steps.filter((step) => step.copyTo !== undefined);
    await pool(copied.slice(0, WARMUP), connections, (s, i) => copyCommit(s, i));
    copies.push(...(await pool(copied.slice(WARMUP), connections, (s, i) => copyCommit(s, i))));
  }
  const others = cpuBetween(cpuBefore, sampleCpu(), availableParallelism())?.others;
  const total = cycles.map((c) => c.claim + c.complete);
  const cycleRate = cycles.length / cycleSeconds;
  const commitRate = commits.length / commitSeconds;
  const p50 = quantile(total, 0.5);
  const commitP50 = quantile(commits, 0.5);
  const copyP50 = copies.length === 0 ? undefined : quantile(copies, 0.5);
  const copyColumns =
    copyP50 === undefined ? "– | –" : `${ms(copyP50)} | ${(p50 / copyP50).toFixed(2)}×`;
  const boardKb =
    board === undefined ? "?" : ((await stateBytes(gateway, board)) / 1024).toFixed(1);
  return `| ${label} | ${connections} | ${cycleRate.toFixed(0)} | ${ms(p50)} | ${ms(quantile(total, 0.99))} | ${ms(
    quantile(
      cycles.map((c) => c.claim),
      0.5,
    ),
  )} | ${ms(
    quantile(
      cycles.map((c) => c.complete),
      0.5,
    ),
  )} | ${commitRate.toFixed(0)} | ${ms(commitP50)} | ${ms(quantile(commits, 0.99))} | ${(p50 / commitP50).toFixed(2)}× | ${(commitRate / cycleRate).toFixed(2)}× | ${boardKb} | ${copyColumns} | ${others?.toFixed(2) ?? "?"} |`;
}

/** A commit of one task's change to the copy of the step's board. */
function copyCommit(step: Step, i: number): Promise<number> {
  if (step.copyTo === undefined) throw new Error("a step without a copy");
  return commit(gateway, step.copyTo.workflowId, i, step.copyTo.taskId);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
