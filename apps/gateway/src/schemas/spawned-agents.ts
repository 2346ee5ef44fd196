import { AgentId } from "@chorus/core";
import * as v from "valibot";
import { WorkflowIdParam } from "./params.ts";

/** `{id}` and `{agentId}` of a spawned agent's route. */
export const SpawnedAgentPath = v.object({ id: WorkflowIdParam, agentId: AgentId });
