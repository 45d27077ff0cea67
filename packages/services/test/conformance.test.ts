/**
 * Conformance against something no one here wrote: Prism serves the 2.10 file, every one of the 108 operations is
 * called through its service method with valid inputs, Prism validates each request (method, path, query, headers,
 * body) against the file, and each answer (an example of the file) decodes with the method's schema.
 *
 * Inputs come from the file itself where it has them (parameter examples, request-body examples that the SDK's
 * strict request schemas accept), read at run time from ../shared; the rest are written here.
 */
import { assert, it } from "@effect/vitest"
import { describeWithSpec, spec } from "@intercom-effect/codegen/testing"
import { operations, schemas } from "@intercom-effect/schemas"
import { Effect, Either, Schema, Stream } from "effect"
import * as Prism from "./utils/prism.js"
import { type All, withServices } from "./utils/services.js"

type Node = { readonly [key: string]: unknown }
const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value)

const adminId = "991267608"
const contactId = "6657ae626abd0167d9419d6f"

/**
 * Bodies written here: the searches (our own queries), and operations whose every file example the strict request
 * schemas refuse (ids sent as numbers where the file says strings, fields the file does not declare).
 */
const bodies: Readonly<Record<string, unknown>> = {
  SearchContacts: { query: { field: "created_at", operator: ">", value: 1560436650 }, pagination: { per_page: 5 } },
  searchConversations: {
    query: { operator: "AND", value: [{ field: "created_at", operator: ">", value: 1560436650 }] },
    pagination: { per_page: 5 }
  },
  searchTickets: { query: { field: "open", operator: "=", value: true } },
  createConversation: { from: { type: "user", id: contactId }, body: "My invoice shows the wrong plan" },
  attachContactToConversation: { admin_id: adminId, customer: { intercom_user_id: contactId } },
  detachContactFromConversation: { admin_id: adminId },
  attachTagToConversation: { id: "7522907", admin_id: adminId },
  detachTagFromConversation: { admin_id: adminId },
  attachTagToTicket: { id: "7522907", admin_id: adminId },
  detachTagFromTicket: { admin_id: adminId },
  manageConversation: { message_type: "close", type: "admin", admin_id: adminId, body: "Solved, closing." },
  convertVisitor: { type: "user", user: { user_id: "3ecf64d0-9ed1" }, visitor: { user_id: "8a88a590-e1c3" } },
  createDataEvent: { event_name: "invited-friend", created_at: 1717021758, user_id: "314159" },
  dataEventSummaries: {
    user_id: "314159",
    event_summaries: { event_name: "invited-friend", count: 2, first: 1717000000, last: 1717021758 }
  },
  createMessage: {
    message_type: "inapp",
    body: "Your export is ready",
    from: { type: "admin", id: 991267608 },
    to: { type: "user", id: contactId }
  },
  createNote: { body: "Called about the invoice", admin_id: adminId },
  createTicket: { ticket_type_id: "1234", contacts: [{ id: contactId }] }
}

/** Values for parameters the file gives no example of, by name, then by type. */
const parameterValue = (param: Node): unknown => {
  const schema = isNode(param["schema"]) ? param["schema"] : {}
  if (param["example"] !== undefined) return param["example"]
  if (schema["example"] !== undefined) return schema["example"]
  if (param["name"] === "filter") return { user_id: "314159" }
  if (Array.isArray(schema["enum"])) return schema["enum"][0]
  switch (schema["type"]) {
    case "integer":
    case "number":
      return 123
    case "boolean":
      return true
    default:
      return "123"
  }
}

/** The file's request-body examples that decode with the SDK's (strict) request schema. */
const bodyFromExamples = (operationId: string, operation: Node): unknown => {
  const name = operations[operationId as keyof typeof operations].requestBody
  if (name === null) return undefined
  const schema = schemas[name] as unknown as Schema.Schema<unknown, unknown>
  const content = isNode(operation["requestBody"]) ? operation["requestBody"]["content"] : undefined
  const json = isNode(content) ? content["application/json"] : undefined
  const examples = isNode(json)
    ? [
        json["example"],
        ...Object.values(isNode(json["examples"]) ? json["examples"] : {}).map((e) =>
          isNode(e) ? e["value"] : undefined
        )
      ]
    : []
  for (const example of examples) {
    if (example === undefined) continue
    const decoded = Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(example)
    if (Either.isRight(decoded)) return decoded.right
  }
  throw new Error(`${operationId}: no example of the file decodes with ${name}; write a body in \`bodies\``)
}

/** Calls one operation through its service method (the one-page method for paged lists). */
const call = (services: All, operationId: string): Effect.Effect<unknown, unknown> => {
  const entry = operations[operationId as keyof typeof operations]
  const operation = (spec().paths[entry.path] as Record<string, Node>)[entry.method.toLowerCase()]!
  const parameters = (Array.isArray(operation["parameters"]) ? operation["parameters"] : []).filter(isNode)
  const pathArgs = [...entry.path.matchAll(/\{(\w+)\}/g)].map(([, name]) =>
    String(parameterValue(parameters.find((p) => p["in"] === "path" && p["name"] === name) ?? { name }))
  )
  const queryParams = operations[operationId as keyof typeof operations].queryParams
  const query = Object.fromEntries(
    queryParams.flatMap((q) => {
      const param = parameters.find((p) => p["in"] === "query" && p["name"] === q.name)
      return q.required && param !== undefined ? [[q.name, parameterValue(param)]] : []
    })
  )
  const body = bodies[operationId] ?? bodyFromExamples(operationId, operation)
  const service = (services as unknown as Record<string, Record<string, (...args: Array<unknown>) => unknown>>)[
    entry.service
  ]!
  const paged = typeof service[`${entry.call}Page`] === "function"
  const method = service[paged ? `${entry.call}Page` : entry.call]!
  const args = [...pathArgs, ...(body === undefined ? [] : [body]), ...(queryParams.length > 0 ? [query] : [])]
  const result = method(...args)
  return Stream.StreamTypeId in (result as object)
    ? Stream.runDrain(result as Stream.Stream<unknown, unknown>)
    : (result as Effect.Effect<unknown, unknown>)
}

describeWithSpec("conformance against Prism", () => {
  it.scopedLive(
    "every operation is called through the services, accepted by Prism, and its answer decodes",
    () =>
      Effect.gen(function* () {
        const prism = yield* Prism.start
        const failures: Array<string> = []
        let conform = 0
        for (const operationId of Object.keys(operations)) {
          const result = yield* withServices(
            prism.url,
            (services) =>
              Effect.flatten(Effect.try({ try: () => call(services, operationId), catch: (error) => error })),
            {
              timeout: "10 seconds"
            }
          ).pipe(Effect.either)
          if (Either.isRight(result)) conform++
          else failures.push(`${operationId}: ${String(result.left)}`)
        }
        // Prism also checks its own answers against the file and reports the file's examples that break their
        // formats; only requests it refused count here.
        const refusals = prism
          .log()
          .split("\n")
          .filter((line) => line.includes("Request terminated with error"))
        const rejected = refusals.length
        // eslint-disable-next-line no-console -- the figure is what this test reports
        console.log(
          `${conform}/${Object.keys(operations).length} operations conform (${rejected} requests Prism found invalid)`
        )
        assert.deepStrictEqual(failures, [])
        assert.strictEqual(conform, 108)
        assert.deepStrictEqual(refusals, [])
      }),
    { timeout: 240_000 }
  )
})
