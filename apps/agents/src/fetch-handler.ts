/**
 * The agents worker has no public HTTP API: the gateway spawns and stops agents through
 * `AgentsService` over a service binding, and the state manager delivers changes the same way.
 */
export default {
  fetch(): Response {
    return Response.json(
      { error: "The agents worker is reached over RPC (AgentsService); use the gateway for HTTP." },
      { status: 404 },
    );
  },
} satisfies ExportedHandler<AgentsEnv>;
