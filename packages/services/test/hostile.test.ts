/**
 * No call of any service ends in a defect, whatever its arguments: a property over every operation of the operation
 * table (each method, its one-page variant and, for lists, a walk of a few pages), with arbitrary arguments built
 * from the operation's own parameters and request schema and laced with the values that used to die or slip through
 * (`""`, `".."`, lone surrogates, NaN and ±Infinity, BigInt, cycles, functions, symbols, Dates, Maps, `undefined` in
 * arrays). Against a real loopback server that answers each request with one of a few bodies (a list page, an
 * empty object, an error, something that is not JSON), every exit is a success or an `IntercomError`.
 */
import { assert, it } from "@effect/vitest"
import { IntercomError } from "@intercom-effect/http"
import { operations, SearchQuery, schemas } from "@intercom-effect/schemas"
import { Arbitrary, Cause, Effect, Exit, FastCheck as fc, Layer, Option, type Schema, Stream } from "effect"
import * as TestServer from "../../http/test/utils/TestServer.js"
import { all, layerFor } from "./utils/services.js"

/** Each method is tried this many times; about 140 methods, so a few hundred calls in all. */
const runsPerMethod = 3

// ---------------------------------------------------------------------------------------------------------------
// arbitraries
// ---------------------------------------------------------------------------------------------------------------

const hostileString = fc.constantFrom("", ".", "..", "%2e%2e", ".%2E", "\ud800", "a\udc00b", "a/b", "?x=1#y", "\t..")
const anyString = fc.oneof(hostileString, fc.string({ unit: "binary", maxLength: 6 }), fc.constant("c1"))
const hostileNumber = fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, -0, 1.5, 61, 151, 2 ** 53, 1e21)
const anyNumber = fc.oneof(hostileNumber, fc.integer({ min: 1, max: 3 }), fc.double())

const cyclic = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { a: 1 }
  o["self"] = o
  return o
}

/** Values JSON cannot carry as they are. Built afresh per run, so no run shares a mutable value with another. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null).map(() => 10n),
  fc.constant(null).map(cyclic),
  fc.constant(null).map(() => Symbol("s")),
  fc.constant(null).map(() => () => 1),
  fc.constant(null).map(() => [1, undefined]),
  fc.constant(null).map(() => new Date(0)),
  fc.constant(null).map(() => new Map([["a", 1]])),
  hostileNumber,
  hostileString
)

/** Every path to an object or array inside a value, where a hostile value can be put. */
const containers = (
  value: unknown,
  path: ReadonlyArray<string | number> = []
): Array<ReadonlyArray<string | number>> => {
  if (typeof value !== "object" || value === null) return []
  const out = [path]
  for (const [key, item] of Object.entries(value))
    out.push(...containers(item, [...path, Array.isArray(value) ? Number(key) : key]))
  return out
}

/** A copy of `value` with `hostile` under `key` of the container `pick` selects (a fraction of the containers). */
const inject = (value: unknown, pick: number, key: string, hostile: unknown): unknown => {
  const copy: unknown = structuredClone(value)
  const paths = containers(copy)
  if (paths.length === 0) return { custom_attributes: { [key]: hostile } }
  let node = copy as Record<string | number, unknown>
  for (const step of paths[Math.floor(pick * paths.length)]!) node = node[step] as Record<string | number, unknown>
  if (Array.isArray(node)) node.push(hostile)
  else node[key] = hostile
  return copy
}

/** Valid values of a schema where fast-check can build them, else anything. */
const validOf = (schema: Schema.Schema.Any): fc.Arbitrary<unknown> => {
  try {
    return Arbitrary.make(schema as Schema.Schema<unknown, unknown>)
  } catch {
    return fc.anything()
  }
}

/** A body as the types admit it (open maps hold anything), with hostile values injected, or anything at all. */
const bodyOf = (schema: Schema.Schema.Any): fc.Arbitrary<unknown> => {
  const valid = validOf(schema)
  return fc.oneof(
    valid,
    fc
      .tuple(
        valid,
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.constantFrom("custom_attributes", "metadata", "x"),
        hostileValue
      )
      .map(([value, pick, key, hostile]) => inject(value, pick, key, hostile)),
    fc
      .tuple(valid, hostileValue)
      .map(([value, hostile]) =>
        typeof value === "object" && value !== null ? { ...value, custom_attributes: { plan: hostile } } : value
      ),
    fc.anything({ maxDepth: 2 })
  )
}

type Param = { readonly name: string; readonly required: boolean; readonly type: string }

const valueOf = (type: string): fc.Arbitrary<unknown> => {
  switch (type) {
    case "integer":
    case "number":
      return anyNumber
    case "boolean":
      return fc.boolean()
    case "object":
      return fc.dictionary(fc.constantFrom("user_id", "email", "intercom_user_id", "other"), anyString, { maxKeys: 2 })
    default:
      return anyString
  }
}

/** A query of the operation's parameters, each with a hostile or plain value, sometimes with a key it does not take. */
const queryOf = (params: ReadonlyArray<Param>): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.record(Object.fromEntries(params.map((p) => [p.name, valueOf(p.type)])), {
      requiredKeys: params.filter((p) => p.required).map((p) => p.name)
    }),
    fc.record({ unexpected: anyNumber })
  )

const positionOf: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ _tag: fc.constant("PageNumber"), page: anyNumber }),
  fc.record({ _tag: fc.constant("Cursor"), startingAfter: anyString }),
  fc.record({ _tag: fc.constant("Scroll"), scrollParam: anyString }),
  fc.record({ _tag: fc.constant("NextUrl"), url: fc.oneof(anyString, fc.constant("/companies?page=2")) })
)

/** Walk options, any number the type `number` admits included; a walk is cut after a few pages in any case. */
const optionsOf: fc.Arbitrary<unknown> = fc.record(
  { per_page: anyNumber, start: positionOf, maxItems: anyNumber, maxPages: anyNumber, prefetch: anyNumber },
  { requiredKeys: [] }
)

// ---------------------------------------------------------------------------------------------------------------
// calls
// ---------------------------------------------------------------------------------------------------------------

type Method = (...args: ReadonlyArray<unknown>) => unknown

interface Target {
  readonly label: string
  readonly args: fc.Arbitrary<ReadonlyArray<unknown>>
  readonly call: (args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
}

/** Runs whatever a service method returns: an effect, a stream, or a paginator (a few of its pages). */
const run = (result: unknown): Effect.Effect<unknown, unknown> => {
  if (Effect.isEffect(result)) return result as Effect.Effect<unknown, unknown>
  if (Stream.StreamTypeId in (result as object))
    return Stream.runDrain(Stream.take(result as Stream.Stream<unknown, unknown>, 3))
  const paginator = result as { readonly pages: Stream.Stream<unknown, unknown> }
  return Stream.runDrain(Stream.take(paginator.pages, 3))
}

/** The calls of one operation, their arguments derived from its parameters the way the generator orders them. */
const targetsOf = (operationId: string, service: Record<string, Method>): Array<Target> => {
  const { service: serviceName, call: name } = operations[operationId as keyof typeof operations]
  const spec = operations[operationId as keyof typeof operations]
  const path = spec.pathParams.map(() => anyString)
  const body = spec.requestBody === null ? [] : [bodyOf(schemas[spec.requestBody] as Schema.Schema.Any)]
  const query = spec.queryParams.length === 0 ? [] : [queryOf(spec.queryParams)]
  const method = service[name]!
  const pageMethod = service[`${name}Page`]
  const target = (label: string, f: Method, args: ReadonlyArray<fc.Arbitrary<unknown>>): Target => ({
    label: `${serviceName}.${label}`,
    args: fc.tuple(...args),
    call: (values) => Effect.suspend(() => run(f(...values)))
  })
  if (pageMethod === undefined) return [target(name, method, [...path, ...body, ...query])]
  if (spec.requestBody !== null) {
    // A search: the walk takes a query and options, its page the whole body.
    return [target(name, method, [validOf(SearchQuery.Query), optionsOf]), target(`${name}Page`, pageMethod, body)]
  }
  // A walk takes its path parameters, then its own query when it has parameters besides the paging ones, then options.
  const walkQuery = method.length === path.length + 2 ? query : []
  return [
    target(name, method, [...path, ...walkQuery, optionsOf]),
    target(`${name}Page`, pageMethod, [...path, ...query])
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// the server
// ---------------------------------------------------------------------------------------------------------------

const answers: ReadonlyArray<(response: Parameters<TestServer.Handler>[1]) => void> = [
  (r) =>
    TestServer.json(r, 200, {
      type: "list",
      data: [],
      pages: { type: "pages", page: 1, per_page: 1, total_pages: 3, next: { starting_after: "c2" } },
      scroll_param: "s2"
    }),
  (r) => TestServer.json(r, 200, {}),
  (r) => TestServer.json(r, 404, { type: "error.list", errors: [{ code: "not_found", message: "no" }] }),
  (r) => {
    r.writeHead(200, { "content-type": "application/json" })
    r.end("<html>not json")
  },
  (r) => {
    r.writeHead(200)
    r.end()
  }
]

it.scopedLive(
  "no operation ends in a defect, for any argument its types admit (and some they do not)",
  () =>
    Effect.gen(function* () {
      let count = 0
      const server = yield* TestServer.make((_, response) => answers[count++ % answers.length]!(response))
      const context = yield* Layer.build(layerFor(server.url))
      const services = (yield* Effect.provide(all, context)) as unknown as Record<string, Record<string, Method>>
      const targets = Object.entries(operations).flatMap(([operationId, entry]) =>
        targetsOf(operationId, services[entry.service]!)
      )
      const outcomes = { ok: 0, failed: 0 }
      for (const target of targets) {
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(target.args, async (args) => {
              const exit = await Effect.runPromiseExit(
                target.call(args).pipe(Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "hung" }))
              )
              if (Exit.isSuccess(exit)) {
                outcomes.ok++
                return
              }
              const failure = Cause.failureOption(exit.cause)
              if (Option.isSome(failure) && IntercomError.isIntercomError(failure.value)) {
                outcomes.failed++
                return
              }
              throw new Error(`${target.label} ended with ${Cause.pretty(exit.cause)}`)
            }),
            { numRuns: runsPerMethod }
          )
        )
      }
      // eslint-disable-next-line no-console -- the figures are what this test reports
      console.log(
        `hostile inputs: ${targets.length} methods over ${Object.keys(operations).length} operations, ` +
          `${outcomes.ok + outcomes.failed} calls: ${outcomes.ok} succeeded, ${outcomes.failed} failed typed, 0 died; ` +
          `${server.received.length} requests reached the server`
      )
      assert.strictEqual(Object.keys(operations).length, 108)
      assert.strictEqual(outcomes.ok + outcomes.failed, targets.length * runsPerMethod)
      // Not everything is refused before sending: the calls that are valid go over the wire.
      assert.isAbove(server.received.length, 0)
    }),
  { timeout: 120_000 }
)
