export { default } from "./driver.ts";
export { Floor } from "./floor.ts";
export { FloorService } from "./floor-service.ts";
