import * as v from "valibot";
import { JsonData } from "../json-patch.ts";
import { Capabilities, Id, Timestamp } from "./fields.ts";

/** Whether an agent can take work. */
export const AgentStatus = v.picklist(["idle", "busy", "draining", "offline", "error"]);

/** Whether an agent can take work. */
export type AgentStatus = v.InferOutput<typeof AgentStatus>;

/** One agent taking part in a workflow. Members beyond these are kept, as long as they are JSON. */
export const Agent = v.objectWithRest(
  {
    id: Id,
    /** the kind of agent, e.g. `review-manager` */
    type: v.exactOptional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
    status: AgentStatus,
    capabilities: v.exactOptional(Capabilities),
    lastSeen: v.exactOptional(Timestamp),
  },
  JsonData,
);

/** One agent taking part in a workflow. */
export type Agent = v.InferOutput<typeof Agent>;
