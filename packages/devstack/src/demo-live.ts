import { describeCommit, formatPatch, type LiveState } from "@chorus/client";
import type { Agent, ReleaseState } from "./demo-agents.ts";

/**
 * Two agents follow each other live: each holds a LiveState replica of the workflow; one
 * commits from its replica, the other's replica receives the version over the change stream,
 * verifies its checksum and prints it, and then the other way round.
 * @param id the workflow
 * @param agents the two agents, each committing once
 * @param print where the lines go
 */
export async function followLive(
  id: string,
  agents: readonly [Agent, Agent],
  print: (line: string) => void,
): Promise<void> {
  const replicas = await Promise.all(agents.map((agent) => agent.client.live<ReleaseState>(id)));
  const [first, second] = replicas as [LiveState<ReleaseState>, LiveState<ReleaseState>];
  print(
    `  ${pad(agents[0].name)} holds v${first.version} (checksum ${short(first.checksum)}), ` +
      `${agents[1].name} holds v${second.version} (checksum ${short(second.checksum)})`,
  );
  const moves = [
    { from: 0, to: 1, task: "build", status: "claimed", why: "retry the build" },
    { from: 1, to: 0, task: "test", status: "completed", why: "the tests pass now" },
  ] as const;
  for (const { from, to, task, status, why } of moves) {
    const writer = replicas[from] as LiveState<ReleaseState>;
    const reader = replicas[to] as LiveState<ReleaseState>;
    const seen = new Promise<{ line: string; at: number }>((resolve) => {
      const stop = reader.onChange((change) => {
        if (change.type !== "event") return;
        stop();
        const { event } = change;
        const line =
          `  ${pad(agents[to].name)} sees v${event.version} by ${event.author}: ` +
          `${formatPatch(event.patch).join("; ").replace(/ +/, " ")}; ` +
          `checksum ${short(event.checksum)} verified`;
        resolve({ line, at: performance.now() });
      });
    });
    const result = await writer.patch(
      [{ op: "replace", path: `/tasks/${task}/status`, value: status }],
      { changeDescription: why },
    );
    const acknowledged = performance.now();
    print(`  ${pad(agents[from].name)} → ${describeCommit(result)}`);
    const { line, at } = await seen;
    // The push often lands before the writer has read its own answer.
    const ms = Math.abs(at - acknowledged).toFixed(1);
    print(`${line}, ${ms} ms ${at < acknowledged ? "before" : "after"} the acknowledgement`);
  }
  const same = first.checksum === second.checksum && first.version === second.version;
  print(
    `  both replicas at v${first.version}, checksums ${same ? "equal" : "DIFFERENT"}; ` +
      `tasks: ${Object.values(first.state.tasks)
        .map((t) => `${t.id}=${t.status}`)
        .join(", ")}`,
  );
  await Promise.all(replicas.map((replica) => replica.close()));
}

const short = (checksum: string) => `${checksum.slice(0, 12)}…`;
const pad = (text: string) => text.padEnd(10);
