import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { LinearAgentConfig } from "./linear-config.ts";

describe("LinearAgentConfig", () => {
  it("takes a team, a partial state map, labels and an assignee map", () => {
    const config = {
      teamId: "team-1",
      stateMap: { ready: "Todo", completed: "s-done" },
      labelIds: ["l1"],
      assigneeMap: { "agent-1": "user-1" },
    };
    expect(v.parse(LinearAgentConfig, config)).toEqual(config);
  });

  it("names the offending path: a missing team, an unknown status, an API key", () => {
    const paths = (input: unknown) =>
      v.safeParse(LinearAgentConfig, input).issues?.map((issue) => v.getDotPath(issue));
    expect(paths({})).toEqual(["teamId"]);
    expect(paths({ teamId: "t", stateMap: { started: "Doing" } })).toEqual(["stateMap.started"]);
    expect(paths({ teamId: "t", apiKey: "lin_api_x" })).toEqual(["apiKey"]);
  });
});
