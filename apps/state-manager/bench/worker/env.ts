import type { StateService } from "../../src/index.ts";
import type { Floor } from "./floor.ts";
import type { FloorService } from "./floor-service.ts";

/**
 * The bench worker's bindings (see `wrangler.jsonc`). Written by hand: `wrangler types` would
 * declare a second `Cloudflare.GlobalProps`, which clashes with the state manager's own in the
 * one program that checks both.
 */
export interface BenchEnv {
  FLOOR_OBJECT: DurableObjectNamespace<Floor>;
  STATE: Service<typeof StateService>;
  FLOOR: Service<typeof FloorService>;
}
