import { ChorusClient } from "@chorus/client";

/** One simulated agent: its name (also its token's name, so its commits' author) and client. */
export interface Agent {
  name: string;
  client: ChorusClient;
}

/** The demo workflow's state: three tasks of a release. */
// A type, not an interface, so it is assignable to JsonValue.
export type ReleaseState = {
  name: string;
  status: "running";
  priority: "high";
  tasks: Record<"build" | "test" | "docs", DemoTask>;
  metadata: Record<string, string>;
};

type DemoTask = { id: string; title: string; status: string };

/** @returns version 1 of the demo workflow's state */
export function releaseState(): ReleaseState {
  const task = (id: string, title: string): DemoTask => ({ id, title, status: "pending" });
  return {
    name: "Release 1.4",
    status: "running",
    priority: "high",
    tasks: {
      build: task("build", "Build the release artefacts"),
      test: task("test", "Run the integration suite"),
      docs: task("docs", "Write the release notes"),
    },
    metadata: {},
  };
}

/**
 * Issues each agent a writer token with the admin token, so each commits as itself, and
 * registers it in the agent registry, so the dashboard shows it while the demo runs.
 * @param options the stack's URL and an admin token
 * @param names the agents' names
 * @returns the agents by name, and `dismiss()`, which deregisters them and revokes their tokens
 */
export async function agentsFor<const N extends string>(
  options: { baseUrl: string; token: string },
  names: readonly N[],
): Promise<{ byName: Record<N, Agent>; dismiss(): Promise<void> }> {
  const admin = new ChorusClient({ baseUrl: options.baseUrl, token: options.token });
  const issued = await Promise.all(
    names.map((name) => admin.createToken({ name, role: "writer" })),
  );
  const registered = await Promise.all(names.map((name) => register(options, name)));
  const byName = {} as Record<N, Agent>;
  for (const [index, name] of names.entries()) {
    const token = issued[index]?.token;
    byName[name] = { name, client: new ChorusClient({ baseUrl: options.baseUrl, token }) };
  }
  return {
    byName,
    dismiss: async () => {
      await Promise.all(registered.map((id) => adminFetch(options, "DELETE", `/api/agents/${id}`)));
      await Promise.all(issued.map((token) => admin.revokeToken(token.id)));
    },
  };
}

// @chorus/client has no agent-registry methods yet; these two calls go to the API directly.
async function register(options: { baseUrl: string; token: string }, name: string) {
  const body = { name, type: "demo", capabilities: [name], ttlMs: 60_000 };
  const answer = (await adminFetch(options, "POST", "/api/agents", body)) as {
    agent: { id: string };
  };
  return answer.agent.id;
}

async function adminFetch(
  options: { baseUrl: string; token: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${options.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}
