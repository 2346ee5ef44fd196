import { Id, Role, TokenName } from "@chorus/core";
import * as v from "valibot";

/** The body of `POST /api/tokens`. */
export const NewToken = v.strictObject({
  name: TokenName,
  role: Role,
  /** only these workflows; every other route answers 403 (default: every workflow) */
  workflowIds: v.exactOptional(v.pipe(v.array(Id), v.minLength(1), v.maxLength(100))),
});

/** The body of `POST /api/tokens`. */
export type NewToken = v.InferOutput<typeof NewToken>;
