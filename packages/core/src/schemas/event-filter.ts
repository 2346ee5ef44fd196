import * as v from "valibot";
import { ChorusError } from "../errors.ts";
import { parsePointer } from "../pointer.ts";
import { StateChangeType } from "./state-change.ts";

/** How many globs one stream's `paths` may name. */
export const MAX_FILTER_GLOBS = 16;

/** How long a `paths` or `types` list may be, in characters. */
const MAX_LIST_CHARS = 1024;

function splitList(text: string): string[] {
  return text.split(",");
}

/**
 * `paths` of a change stream as a query sends it: comma-separated JSON Pointer globs in the
 * syntax of the settings' rules (`*` one token, `**` any number), e.g. `/tasks/*` + `/status`.
 * Issues are reported at the list itself, naming the bad glob by position.
 */
export const PointerGlobList = v.pipe(
  v.string(),
  v.maxLength(MAX_LIST_CHARS, `Invalid paths: at most ${MAX_LIST_CHARS} characters`),
  v.transform(splitList),
  v.check(
    (globs) => globs.length <= MAX_FILTER_GLOBS,
    `Invalid paths: at most ${MAX_FILTER_GLOBS} globs`,
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    dataset.value.forEach((glob, index) => {
      const problem = globProblem(glob);
      if (problem !== undefined)
        addIssue({ message: `Invalid paths: glob ${index + 1} ${problem}` });
    });
  }),
);

function globProblem(glob: string): string | undefined {
  if (glob === "") return "is empty";
  try {
    parsePointer(glob);
    return undefined;
  } catch (error) {
    if (!(error instanceof ChorusError)) throw error;
    return `(${JSON.stringify(glob)}) is not a JSON Pointer: ${error.message}`;
  }
}

/**
 * `types` of a change stream as a query sends it: comma-separated {@link StateChangeType}s, e.g.
 * `task-update,workflow-status`.
 */
export const StateChangeTypeList = v.pipe(
  v.string(),
  v.maxLength(MAX_LIST_CHARS, `Invalid types: at most ${MAX_LIST_CHARS} characters`),
  v.transform(splitList),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    dataset.value.forEach((type, index) => {
      if (!StateChangeType.options.includes(type as StateChangeType)) {
        addIssue({
          message: `Invalid types: type ${index + 1} (${JSON.stringify(type)}) is not one of ${StateChangeType.options.join(", ")}`,
        });
      }
    });
  }),
  v.transform((types) => types as StateChangeType[]),
);

/** What a change stream sends of each version: only changes at these paths, of these types. */
export const EventFilter = v.object({
  /** pointer globs; a change concerning none of them is left out */
  paths: v.exactOptional(v.pipe(v.array(v.string()), v.maxLength(MAX_FILTER_GLOBS))),
  /** change types; a change of another type is left out */
  types: v.exactOptional(v.array(StateChangeType)),
});

/** What a change stream sends of each version. */
export type EventFilter = v.InferOutput<typeof EventFilter>;
