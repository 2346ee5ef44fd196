import type { Operation } from "./api-routes.ts";
import type { Random } from "./random.ts";

/** One hostile request, and what it must get. */
export interface HostileRequest {
  /** which kind of hostility, for the report */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string;
  /**
   * `refuse`: the request is invalid, so a 4xx problem+json; `survive`: it may be valid (a
   * `__proto__` member, a lone surrogate in a string), so anything but a 5xx, and never aimed at
   * the control workflow
   */
  expect: "refuse" | "survive";
}

/** What the requests are aimed at. */
export interface Targets {
  token: string;
  /** the workflow whose state and history must not change */
  control: string;
  /** a workflow that requests which may succeed are sent to */
  target: string;
}

const HOSTILE_IDS = [
  "..%2F..%2Fetc%2Fpasswd",
  // Not "%2E%2E": a URL parser turns that segment into "..", so the server sees the parent.
  "%2E%2E%2F%2E%2E",
  "a%00b",
  "%0D%0AX-Injected:%201",
  "%ED%A0%80", // a lone surrogate, encoded as UTF-8 would if it could: not UTF-8
  "%FF%FE",
  "x".repeat(5000),
  "%F0%9F%92%A9".repeat(50),
  "%5C..%5C..",
];
const BAD_NUMBERS = [
  "-1",
  "0.5",
  "1e309",
  "18446744073709551616",
  "NaN",
  "Infinity",
  "-Infinity",
  "abc",
  "1;DROP",
  "%00",
  "%ED%A0%80",
  "999999999999",
];
const BAD_POINTERS = ["abc", "/a~2", "~", "/%ED%A0%80", "#/a", `/${"a/".repeat(5000)}`];
const BAD_TOKENS = ["Bearer", "Bearer ", "Bearer chorus_x", "Basic YWRtaW46YWRtaW4=", "bearer\tx"];

/** Request bodies that are not what any route accepts. */
function badBodies(
  rng: Random,
  bodyType: string,
): Array<[string, Uint8Array<ArrayBuffer> | string]> {
  const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
  const deepObject = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
  const bodies: Array<[string, Uint8Array<ArrayBuffer> | string]> = [
    ["truncated JSON", '{"state": {"name": "x"'.slice(0, 1 + rng.int(20))],
    ["not JSON", "<xml>nope</xml>"],
    ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ["10,000-level array nesting", deep],
    ["10,000-level object nesting", deepObject],
    ["a number", "42"],
    ["a string", '"state"'],
    ["null", "null"],
    ["trailing garbage", '{"a":1} {"b":2}'],
    ["NUL bytes", "\u0000\u0000"],
  ];
  if (bodyType === "application/json-patch+json") {
    bodies.push(
      ["an object for a patch", '{"op":"add"}'],
      ["unknown patch op", '[{"op":"bogus","path":"/a"}]'],
      ["patch path not a pointer", '[{"op":"add","path":"a","value":1}]'],
      ["patch value missing", '[{"op":"add","path":"/a"}]'],
      ["move into itself", '[{"op":"move","from":"/data","path":"/data/x"}]'],
      ["remove the root", '[{"op":"remove","path":""}]'],
      ["patch a missing parent", '[{"op":"add","path":"/no/such/place","value":1}]'],
    );
  } else {
    bodies.push(["an array", "[1,2,3]"]);
  }
  return bodies;
}

/**
 * Makes one hostile request for an operation.
 * @param op the operation
 * @param methodsOf every method served at each path template
 * @param rng the seeded source
 * @param targets the token and workflows
 * @returns the request and what it must get
 */
export function hostileRequest(
  op: Operation,
  methodsOf: ReadonlyMap<string, readonly string[]>,
  rng: Random,
  targets: Targets,
): HostileRequest {
  const kinds = ["wrong method", "hostile id", "bad number", "bad header", "bad token"];
  if (op.access !== "public") kinds.push("no token");
  if (op.bodyType !== undefined)
    kinds.push("bad body", "bad body", "wrong content type", "huge body");
  if (op.operationId === "commitState" || op.operationId === "createWorkflow") {
    kinds.push("edge-valid body");
  }
  if (op.operationId === "streamEvents") kinds.push("bad resume");
  const kind = rng.pick(kinds);
  const workflow =
    kind === "edge-valid body" || kind === "bad resume"
      ? targets.target
      : rng.pick([targets.control, targets.target]);
  const params: Record<string, string> = {};
  for (const name of op.pathParams) params[name] = name === "id" ? workflow : `${name}-unknown`;
  const headers: Record<string, string> = { authorization: `Bearer ${targets.token}` };
  let query = "";
  let method = op.method;
  let body: Uint8Array<ArrayBuffer> | string | undefined;
  let expect: HostileRequest["expect"] = "refuse";
  let detail = kind;
  // A valid-looking body, so that the hostile part is what gets refused.
  if (op.bodyType !== undefined) {
    headers["content-type"] = op.bodyType;
    body = op.bodyType === "application/json-patch+json" ? "[]" : "{}";
  }
  switch (kind) {
    case "wrong method": {
      const served = methodsOf.get(op.path) ?? [];
      method = rng.pick(
        ["PUT", "DELETE", "PATCH", "POST", "GET"].filter((m) => !served.includes(m)),
      );
      break;
    }
    case "hostile id": {
      if (op.pathParams.length === 0) return hostileRequest(op, methodsOf, rng, targets);
      const name = rng.pick(op.pathParams);
      const id = rng.pick(HOSTILE_IDS);
      params[name] = id;
      detail = `hostile id ${name}=${id.slice(0, 30)}`;
      break;
    }
    case "bad number": {
      const spoilable = op.queryParams.filter((param) => CONSTRAINED.has(param));
      if (spoilable.length === 0) return hostileRequest(op, methodsOf, rng, targets);
      const param = rng.pick(spoilable);
      const spoiled = param === "path" ? rng.pick(BAD_POINTERS) : rng.pick(BAD_NUMBERS);
      // A raw "#" would start the URL's fragment and send an empty, valid value instead.
      query = `?${param}=${spoiled.replaceAll("#", "%23")}`;
      detail = `bad query ${param}=${spoiled.slice(0, 30)}`;
      break;
    }
    case "bad header": {
      // `Upgrade` is the client library's to set (undici refuses another value).
      const spoilable = op.headerParams.filter((name) => name.toLowerCase() !== "upgrade");
      if (spoilable.length === 0) return hostileRequest(op, methodsOf, rng, targets);
      const name = rng.pick(spoilable);
      headers[name.toLowerCase()] =
        name.toLowerCase() === "if-match"
          ? rng.pick(['"zz"', 'W/"x"', "x".repeat(5000)])
          : "x".repeat(5000);
      detail = `bad header ${name}`;
      break;
    }
    case "bad token":
      headers.authorization = rng.pick(BAD_TOKENS);
      if (op.access === "public") return hostileRequest(op, methodsOf, rng, targets);
      break;
    case "no token":
      delete headers.authorization;
      break;
    case "bad body": {
      const [what, bytes] = rng.pick(badBodies(rng, op.bodyType ?? ""));
      body = bytes;
      detail = `bad body: ${what}`;
      break;
    }
    case "wrong content type":
      headers["content-type"] = rng.pick([
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
      ]);
      body = "a=1";
      break;
    case "huge body": {
      const huge = rng.pick(["array", "string"]);
      body =
        huge === "array" ? `[${"1,".repeat(700_000)}1]` : `{"name":"${"x".repeat(1_200_000)}"}`;
      detail = `huge body (${huge})`;
      break;
    }
    case "edge-valid body": {
      expect = "survive";
      const edge = rng.pick(["\\ud800", "\\udfff", "\\u0000", "\\ufeff", "\\u202e", "\\uffff"]);
      const key = rng.pick(["__proto__", "constructor", "prototype", "x"]);
      const data = `{"${key}":{"${key}":"${edge}"},"s":"a${edge}b"}`;
      body =
        op.operationId === "createWorkflow"
          ? `{"name":"edge ${edge}","initialState":{"data":${data}}}`
          : `{"state":{"name":"edge","status":"running","priority":"normal","tasks":{},"agents":{},"context":{},"metadata":{},"data":${data}}}`;
      detail = `edge-valid body: ${key} ${edge}`;
      break;
    }
    case "bad resume":
      expect = "survive";
      headers["last-event-id"] = rng.pick(["-1", "abc", "99999999999999999999", "1.5", "%00"]);
      break;
  }
  let path = op.path;
  for (const [name, value] of Object.entries(params)) path = path.replace(`{${name}}`, value);
  return {
    kind: detail,
    method,
    path: `${path}${query}`,
    headers,
    ...(body === undefined || method === "GET" ? {} : { body }),
    expect,
  };
}

// Query parameters that no value above is valid for: numbers, pointers, enumerations. A free
// string (a tag, a cursor) may well be "-1", and `since` may name a version still to come.
const CONSTRAINED = new Set(["limit", "version", "from", "to", "baseVersion", "path", "status"]);
