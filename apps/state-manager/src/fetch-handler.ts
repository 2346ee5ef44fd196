/**
 * The state manager has no public HTTP API: other workers reach it through `StateService`
 * over a service binding, and people through the gateway.
 */
export default {
  fetch(): Response {
    return Response.json(
      { error: "The state manager is reached over RPC (StateService); use the gateway for HTTP." },
      { status: 404 },
    );
  },
} satisfies ExportedHandler<StateManagerEnv>;
