import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthError,
  ChorusApiError,
  ChorusClient,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from "../src/index.ts";
import { fakeServer, type Reply } from "./fake-server.ts";

const problem = (status: number, extra: Record<string, unknown> = {}): Reply => ({
  status,
  headers: { "content-type": "application/problem+json" },
  body: JSON.stringify({ type: "about:blank", title: `Status ${status}`, status, ...extra }),
});

let reply: Reply = { status: 200 };
let server: Awaited<ReturnType<typeof fakeServer>>;
let client: ChorusClient;
beforeAll(async () => {
  server = await fakeServer(() => reply);
  client = new ChorusClient({ baseUrl: server.url, token: "t" });
});
afterAll(() => server.close());

async function failure(answer: Reply): Promise<unknown> {
  reply = answer;
  return client.getWorkflow("w1").then(
    () => expect.fail("expected an error"),
    (error: unknown) => error,
  );
}

describe("error answers", () => {
  it.each([
    [400, ValidationError],
    [401, AuthError],
    [403, AuthError],
    [404, NotFoundError],
    [409, ConflictError],
    [412, PreconditionFailedError],
    [422, ValidationError],
  ])("maps problem+json %i to %o", async (status, ErrorClass) => {
    const error = await failure(problem(status));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(ChorusApiError);
    expect(error).toMatchObject({ status, title: `Status ${status}`, type: "about:blank" });
  });

  it.each([413, 415, 500, 503])("maps %i to the base ChorusApiError", async (status) => {
    const error = await failure(problem(status));
    expect((error as object).constructor).toBe(ChorusApiError);
  });

  it("keeps detail and every issue of a validation failure", async () => {
    const errors = [
      { path: "/baseVersion", message: "must be a safe non-negative integer" },
      { path: "/state/status", message: "Invalid type" },
    ];
    const error = (await failure(problem(422, { detail: "2 issues", errors }))) as ValidationError;
    expect(error.detail).toBe("2 issues");
    expect(error.errors).toEqual(errors);
    expect(error.message).toBe("Status 422: 2 issues");
  });

  it("carries the queued conflict's id and paths on a 409", async () => {
    const conflicts = [{ path: "/tasks/t1/title", base: "a", ours: "b", theirs: "c" }];
    const error = (await failure(problem(409, { conflictId: "c-1", conflicts }))) as ConflictError;
    expect(error.conflictId).toBe("c-1");
    expect(error.conflicts).toEqual(conflicts);
    expect(error.problem.conflictId).toBe("c-1");
  });

  it("answers a 409 that queued nothing with no conflict id", async () => {
    const error = (await failure(problem(409))) as ConflictError;
    expect(error.conflictId).toBeUndefined();
    expect(error.conflicts).toEqual([]);
  });

  it("answers a failed JSON Patch test, a 409 that queued nothing, with no conflict id", async () => {
    const body = problem(409, {
      code: "PATCH_TEST_FAILED",
      errors: [{ path: "/n", message: "x" }],
    });
    const error = (await failure(body)) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe("PATCH_TEST_FAILED");
    expect(error.conflictId).toBeUndefined();
  });

  it("makes an error of a body that is not problem+json", async () => {
    const error = (await failure({ status: 502, body: "upstream went away" })) as ChorusApiError;
    expect(error).toMatchObject({ status: 502, title: "HTTP 502", detail: "upstream went away" });
    expect(error.errors).toEqual([]);
  });
});
