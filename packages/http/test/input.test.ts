/**
 * Input that cannot be sent as it is, over a real socket that counts requests: a path parameter or a raw path that
 * the URL parser would resolve into another route, a query value the URL would carry as something else, a body value
 * JSON cannot carry (or would change without a word). Each is an `InvalidRequest` naming where it is, never a
 * defect, and the server sees nothing. Values that only look odd (a shared object, `undefined` in an object, an id
 * with dots inside) are still sent.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Either, Exit, Schema } from "effect"
import { IntercomClient, type IntercomError } from "../src/index.js"
import { noRetry, withClient } from "./utils/client.js"
import * as TestServer from "./utils/TestServer.js"

const Ok = Schema.Struct({ ok: Schema.Boolean })
const Attributes = Schema.Struct({
  name: Schema.optionalWith(Schema.String, { exact: true }),
  score: Schema.optionalWith(Schema.Number, { exact: true }),
  tags: Schema.optionalWith(Schema.Array(Schema.Unknown), { exact: true }),
  custom_attributes: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { exact: true })
})
type Attributes = typeof Attributes.Type

const server = TestServer.make((_, response) => TestServer.json(response, 200, { ok: true }))

/** Runs one call against a fresh server; returns its exit and how many requests the server received. */
const attempt = (options: IntercomClient.RequestOptions) =>
  Effect.gen(function* () {
    const s = yield* server
    const exit = yield* Effect.exit(
      withClient(s.url, noRetry, (client) => client.request({ ...options, response: Ok }))
    )
    return { exit, received: s.received }
  })

/** The call fails with `InvalidRequest` (not a defect) and nothing reached the server. */
const refused = (options: IntercomClient.RequestOptions) =>
  Effect.gen(function* () {
    const { exit, received } = yield* attempt(options)
    if (Exit.isSuccess(exit)) assert.fail(`sent and answered: ${JSON.stringify(received.map((r) => r.url))}`)
    assert.isFalse(Cause.isDie(exit.cause), `a defect: ${Cause.pretty(exit.cause)}`)
    const error = Cause.failureOption(exit.cause)
    assert.isTrue(error._tag === "Some")
    const invalid = (error as { value: IntercomError.IntercomError }).value
    assert.strictEqual(invalid._tag, "InvalidRequest", invalid.message)
    assert.strictEqual(received.length, 0, "the server received a request")
    return invalid as IntercomError.InvalidRequest
  })

const sent = (options: IntercomClient.RequestOptions) =>
  Effect.gen(function* () {
    const { exit, received } = yield* attempt(options)
    assert.isTrue(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "")
    assert.strictEqual(received.length, 1)
    return received[0]!
  })

const body = (value: Attributes): IntercomClient.RequestOptions => ({
  method: "PUT",
  path: "/contacts/c1",
  body: IntercomClient.jsonBody(Attributes, value)
})

describe("path parameters", () => {
  const unsafe: ReadonlyArray<readonly [string, string | number]> = [
    ["empty", ""],
    ["dot", "."],
    ["dot-dot", ".."],
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate inside", "a\udc00b"],
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["a fraction", 1.5],
    ["beyond 2^53", 2 ** 60]
  ]
  for (const [label, id] of unsafe) {
    it.scopedLive(`${label}: InvalidRequest naming the parameter, nothing sent`, () =>
      Effect.gen(function* () {
        const error = yield* refused({ method: "DELETE", path: IntercomClient.path`/contacts/${"c1"}/tags/${id}` })
        assert.strictEqual(error.location, "path")
        assert.strictEqual(error.field, "2")
        assert.strictEqual(error.path, "/contacts/{1}/tags/{2}")
        assert.include(error.message, "path parameter 2")
      })
    )
  }

  it.scopedLive("fillPath names the parameter by its name and shows the template, never the ids", () =>
    Effect.gen(function* () {
      const error = yield* refused({
        method: "DELETE",
        path: IntercomClient.fillPath("/contacts/{contact_id}/tags/{id}", { contact_id: "secret-id", id: ".." })
      })
      assert.strictEqual(error.field, "id")
      assert.strictEqual(error.path, "/contacts/{contact_id}/tags/{id}")
      assert.notInclude(error.message, "secret-id")
      const missing = yield* refused({ method: "GET", path: IntercomClient.fillPath("/contacts/{id}", {}) })
      assert.strictEqual(missing.field, "id")
      assert.include(missing.message, "missing")
    })
  )

  it.scopedLive("ids that only look odd reach the server as one segment", () =>
    Effect.gen(function* () {
      for (const id of ["a/b", "..a", "a..", "...", "%2e%2e", "a?b#c", "\ud83d\ude00", 42]) {
        const received = yield* sent({ method: "GET", path: IntercomClient.path`/contacts/${id}` })
        const segments = new URL(received.url, "http://x").pathname.split("/").slice(1)
        assert.deepStrictEqual(segments.map(decodeURIComponent), ["contacts", String(id)])
      }
    })
  )
})

describe("raw paths", () => {
  const unsafe = [
    "/contacts/c1/tags/..",
    "/contacts/c1/tags/.",
    "/contacts/c1/tags/%2e%2E",
    "/contacts/c1/tags/.%2e",
    "/contacts/c1/tags/.\t.",
    "/contacts/c1/tags/\n..",
    "/contacts//tags",
    "/contacts/",
    "contacts",
    ".evil.example/steal",
    "/contacts/\ud800",
    "/contacts\\..\\admins",
    "/contacts?per_page=5"
  ]
  for (const path of unsafe) {
    it.scopedLive(`${JSON.stringify(path)} is refused, nothing sent`, () =>
      Effect.gen(function* () {
        const error = yield* refused({ method: "DELETE", path })
        assert.strictEqual(error.location, "path")
        assert.isNull(error.field)
      })
    )
  }
})

describe("query parameters", () => {
  const unsafe: ReadonlyArray<readonly [string, IntercomClient.RequestOptions["urlParams"]]> = [
    ["NaN", { per_page: NaN }],
    ["Infinity", [["per_page", Infinity]]],
    ["-Infinity in a nested record", { filter: { count: -Infinity } }],
    ["a lone surrogate", { email: "a\ud800@example.com" }]
  ]
  for (const [label, urlParams] of unsafe) {
    it.scopedLive(`${label}: InvalidRequest naming the parameter, nothing sent`, () =>
      Effect.gen(function* () {
        const error = yield* refused({ method: "GET", path: "/contacts", urlParams })
        assert.strictEqual(error.location, "query")
        assert.isNotNull(error.field)
      })
    )
  }
})

describe("bodies", () => {
  const cyclic: Record<string, unknown> = { a: 1 }
  cyclic["self"] = cyclic
  const cyclicArray: Array<unknown> = []
  cyclicArray.push({ back: cyclicArray })
  const throwing = Object.defineProperty({}, "plan", {
    enumerable: true,
    get: () => {
      throw new Error("getter failed")
    }
  })
  const hostileProxy = new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error("no keys for you")
      }
    }
  )
  const cases: ReadonlyArray<readonly [string, Attributes, string | null]> = [
    ["a BigInt in custom_attributes", { custom_attributes: { plan: 10n } }, "custom_attributes.plan"],
    ["a cycle in custom_attributes", { custom_attributes: { plan: cyclic } }, "custom_attributes.plan.self"],
    ["a cycle through an array", { tags: cyclicArray }, "tags[0].back[0]"],
    ["NaN in custom_attributes", { custom_attributes: { seats: NaN } }, "custom_attributes.seats"],
    ["Infinity in a numeric field", { score: Infinity }, "score"],
    ["-Infinity deep in an open map", { custom_attributes: { a: { b: [1, -Infinity] } } }, "custom_attributes.a.b[1]"],
    ["undefined in an array", { tags: ["a", undefined] }, "tags[1]"],
    ["a function", { custom_attributes: { f: () => 1 } }, "custom_attributes.f"],
    ["a symbol", { custom_attributes: { s: Symbol("s") } }, "custom_attributes.s"],
    ["a Date", { custom_attributes: { since: new Date(0) } }, "custom_attributes.since"],
    ["a Map", { custom_attributes: { m: new Map([["a", 1]]) } }, "custom_attributes.m"],
    ["a lone surrogate", { name: "x\udbff" }, "name"],
    ["a key with a lone surrogate", { custom_attributes: { "k\ud800": 1 } }, 'custom_attributes["k\\ud800"]'],
    ["a key that is not an identifier", { custom_attributes: { "a.b": NaN } }, 'custom_attributes["a.b"]'],
    ["a getter that throws", { custom_attributes: { nested: throwing } }, "custom_attributes.nested.plan"],
    ["a proxy whose keys throw", { custom_attributes: { p: hostileProxy } }, "custom_attributes.p"]
  ]
  for (const [label, value, field] of cases) {
    it.scopedLive(`${label}: InvalidRequest naming ${field}, nothing sent`, () =>
      Effect.gen(function* () {
        const error = yield* refused(body(value))
        assert.strictEqual(error.location, "body")
        assert.strictEqual(error.field, field, error.message)
        if (field !== null) assert.include(error.message, field)
      })
    )
  }

  it.scopedLive("a schema failure names its first field", () =>
    Effect.gen(function* () {
      const error = yield* refused(body({ name: 1 } as unknown as Attributes))
      assert.strictEqual(error.location, "body")
      assert.strictEqual(error.field, "name")
    })
  )

  it.scopedLive("a getter that throws while the schema encodes is an InvalidRequest too", () =>
    Effect.gen(function* () {
      const value = Object.defineProperty({}, "name", {
        enumerable: true,
        get: () => {
          throw new Error("read me not")
        }
      })
      const error = yield* refused(body(value as Attributes))
      assert.include(error.message, "read me not")
    })
  )

  it.scopedLive("shared objects, nulls and undefined object fields are sent as JSON sends them", () =>
    Effect.gen(function* () {
      const shared = { x: 1 }
      const received = yield* sent(
        body({ custom_attributes: { a: shared, b: shared, c: null, d: undefined, e: [0, -0, 1e300] } })
      )
      assert.deepStrictEqual(JSON.parse(received.body), {
        custom_attributes: { a: { x: 1 }, b: { x: 1 }, c: null, e: [0, 0, 1e300] }
      })
    })
  )

  it("a Path resolves without a client, for code that wants the string", () => {
    assert.deepStrictEqual(IntercomClient.path`/tags/${"a b"}`.resolved, Either.right("/tags/a%20b"))
    assert.isTrue(Either.isLeft(IntercomClient.path`/tags/${""}`.resolved))
  })
})
