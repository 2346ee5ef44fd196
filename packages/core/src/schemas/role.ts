import * as v from "valibot";

/** What an API token may do: `reader` reads, `writer` also writes, `admin` also manages. */
export const Role = v.picklist(["reader", "writer", "admin"]);

/** What an API token may do. */
export type Role = v.InferOutput<typeof Role>;
