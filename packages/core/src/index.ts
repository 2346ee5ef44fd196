export type { ErrorCode, ErrorData } from "./errors.ts";
export { ChorusError, ErrorCodes, isChorusError } from "./errors.ts";
export type { JsonObject, JsonValue } from "./json.ts";
export { assertJson, DEFAULT_MAX_DEPTH, deepEqual, isJsonObject } from "./json.ts";
export {
  arrayIndex,
  escapeToken,
  formatPointer,
  getAt,
  hasAt,
  parsePointer,
  unescapeToken,
} from "./pointer.ts";
export type { Result } from "./result.ts";
export { attempt, ok, unwrap } from "./result.ts";
