import { Id } from "@chorus/core";
import * as v from "valibot";
import { WorkflowIdParam } from "./params.ts";

/** `{id}` and `{rid}` of a rule's route. */
export const RulePath = v.object({ id: WorkflowIdParam, rid: Id });
