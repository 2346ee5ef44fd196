/**
 * The coordinator has no public HTTP API: other workers reach it through `CoordinatorService`
 * over a service binding, and people through the gateway.
 */
export default {
  fetch(): Response {
    return Response.json(
      {
        error:
          "The coordinator is reached over RPC (CoordinatorService); use the gateway for HTTP.",
      },
      { status: 404 },
    );
  },
} satisfies ExportedHandler<CoordinatorEnv>;
