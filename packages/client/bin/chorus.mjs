#!/usr/bin/env node
// The `chorus` command. tsx compiles the TypeScript source on the fly, so there is no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
