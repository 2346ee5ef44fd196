import { WorkerEntrypoint } from "cloudflare:workers";
import type { BenchEnv } from "./env.ts";

/** Names the floor object, as `workflowId` names a StateManager. */
type Ref = { workflowId: string };

/** The floors' RPC entrypoint, shaped like StateService: route by name, call the object. */
export class FloorService extends WorkerEntrypoint<BenchEnv> {
  insert(input: Ref & { body: string }) {
    return this.#object(input).insert({ body: input.body });
  }
  sink(input: Ref & { value: unknown }) {
    return this.#object(input).sink({ value: input.value });
  }
  hold(input: Ref & { value: unknown }) {
    return this.#object(input).hold({ value: input.value });
  }
  profile(input: Ref & { step: string; iterations: number }) {
    return this.#object(input).profile({ step: input.step, iterations: input.iterations });
  }
  steps(input: Ref) {
    return this.#object(input).steps();
  }
  source(input: Ref) {
    return this.#object(input).source();
  }

  #object(input: Ref) {
    return this.env.FLOOR_OBJECT.get(this.env.FLOOR_OBJECT.idFromName(input.workflowId));
  }
}
