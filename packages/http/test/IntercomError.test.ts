import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { IntercomError } from "../src/index.js"

const request = { method: "GET", path: "/contacts/1" }
const response = { ...request, status: 404, requestId: null, errors: [], errorKey: null, body: "" }

/** One instance of every error class. */
const everyError: ReadonlyArray<IntercomError.IntercomError> = [
  new IntercomError.BadRequest({ ...response, status: 400 }),
  new IntercomError.Unauthorized({ ...response, status: 401 }),
  new IntercomError.Forbidden({ ...response, status: 403 }),
  new IntercomError.NotFound(response),
  new IntercomError.Conflict({ ...response, status: 409 }),
  new IntercomError.UnprocessableEntity({ ...response, status: 422 }),
  new IntercomError.RateLimited({ ...response, status: 429, retryAfterMillis: 1000, transient: true }),
  new IntercomError.ServerError({ ...response, status: 503, retryAfterMillis: null }),
  new IntercomError.UnexpectedStatus({ ...response, status: 415 }),
  new IntercomError.TransportError({ ...request, reason: "Transport", detail: "ECONNRESET" }),
  new IntercomError.IncompleteResponse({
    ...request,
    status: 200,
    requestId: null,
    reason: "Truncated",
    detail: "Unexpected end of JSON input",
    body: '{"type":"con',
    outcomeUnknown: false
  }),
  new IntercomError.TimeoutError({ ...request, timeoutMillis: 100 }),
  new IntercomError.DecodeError({ ...request, status: 200, requestId: null, body: "{}", fieldPath: [], issue: "x" }),
  new IntercomError.InvalidRequest({ ...request, issue: "x" })
]

describe("identity", () => {
  it("every error carries the TypeId, and isIntercomError tells them from anything else", () => {
    assert.strictEqual(everyError.length, IntercomError.IntercomError.members.length)
    for (const error of everyError) {
      assert.isTrue(IntercomError.isIntercomError(error), error._tag)
      assert.strictEqual(error[IntercomError.TypeId], IntercomError.TypeId)
    }
    for (const other of [new Error("x"), { _tag: "NotFound" }, null, "NotFound", undefined]) {
      assert.isFalse(IntercomError.isIntercomError(other))
    }
  })

  it("keeps the short _tag to catch on and a namespaced schema identifier", () => {
    for (const member of IntercomError.IntercomError.members) {
      const error = everyError.find((e) => e instanceof member)
      assert.isDefined(error)
      assert.include(String(member), `@intercom-effect/http/IntercomError/${error?._tag}`)
    }
  })

  it("round-trips through the union schema, TypeId included, and the TypeId stays out of JSON", () => {
    for (const error of everyError) {
      const encoded = Schema.encodeSync(IntercomError.IntercomError)(error)
      const decoded = Schema.decodeUnknownSync(IntercomError.IntercomError)(encoded)
      assert.strictEqual(decoded._tag, error._tag)
      assert.isTrue(IntercomError.isIntercomError(decoded))
      assert.strictEqual(decoded.message, error.message)
      assert.notInclude(JSON.stringify(error), "IntercomError")
    }
  })
})

describe("fromResponse", () => {
  const answer = (status: number, body = "", extra: Partial<IntercomError.ResponseDetails> = {}) =>
    IntercomError.fromResponse({ ...request, status, requestId: null, body, retryAfterMillis: null, ...extra })

  it("maps each status to its error", () => {
    const cases: ReadonlyArray<readonly [number, IntercomError.StatusError["_tag"]]> = [
      [400, "BadRequest"],
      [401, "Unauthorized"],
      [403, "Forbidden"],
      [404, "NotFound"],
      [409, "Conflict"],
      [422, "UnprocessableEntity"],
      [429, "RateLimited"],
      [408, "ServerError"],
      [500, "ServerError"],
      [503, "ServerError"],
      [599, "ServerError"],
      [302, "UnexpectedStatus"],
      [405, "UnexpectedStatus"],
      [415, "UnexpectedStatus"]
    ]
    for (const [status, tag] of cases) {
      const error = answer(status)
      assert.strictEqual(error._tag, tag, String(status))
      assert.strictEqual(error.status, status)
    }
  })

  it("reads Intercom's error list, or the {error_key, message} shape, and the body's request_id", () => {
    const list = answer(
      422,
      JSON.stringify({
        type: "error.list",
        request_id: "r-body",
        errors: [{ code: "parameter_invalid", message: "Email is invalid", field: "email" }]
      })
    )
    assert.strictEqual(list.requestId, "r-body")
    assert.deepStrictEqual(
      list.errors.map((e) => [e.code, e.message, e.field]),
      [["parameter_invalid", "Email is invalid", "email"]]
    )
    assert.include(list.message, "parameter_invalid: Email is invalid (field email)")
    // The header's request id wins over the body's.
    assert.strictEqual(
      answer(404, JSON.stringify({ request_id: "r-body" }), { requestId: "r-header" }).requestId,
      "r-header"
    )
    const keyed = answer(400, JSON.stringify({ error_key: "invalid_phone_number", message: "Invalid phone number" }))
    assert.strictEqual(keyed.errorKey, "invalid_phone_number")
    assert.deepStrictEqual(keyed.errors, [])
  })

  it("keeps a bounded snippet of any body, JSON or not", () => {
    const page = `<html>${"x".repeat(5000)}</html>`
    const error = answer(502, page)
    assert.strictEqual(error.body, page.slice(0, IntercomError.snippetLength))
    assert.deepStrictEqual(error.errors, [])
  })

  it("carries the delay hint on 429 and 5xx, and marks the pending-export 429 as not transient", () => {
    const limited = answer(429, "", { retryAfterMillis: 2000 })
    assert.isTrue(limited._tag === "RateLimited" && limited.transient && limited.retryAfterMillis === 2000)
    const server = answer(503, "", { retryAfterMillis: 3000 })
    assert.isTrue(server._tag === "ServerError" && server.retryAfterMillis === 3000)
    const exportJob = {
      method: "POST",
      path: "/export/content/data",
      status: 429,
      requestId: null,
      body: "",
      retryAfterMillis: 1000
    }
    // The operation's entry decides, not the path: the same path without the rule is an ordinary window.
    const final = IntercomError.fromResponse({ ...exportJob, finalRateLimit: true })
    assert.isTrue(final._tag === "RateLimited" && !final.transient)
    const unflagged = IntercomError.fromResponse(exportJob)
    assert.isTrue(unflagged._tag === "RateLimited" && unflagged.transient)
    const pending = answer(429, JSON.stringify({ errors: [{ code: "x", message: "1 pending message export job" }] }))
    assert.isTrue(pending._tag === "RateLimited" && !pending.transient)
  })
})

describe("IncompleteResponse", () => {
  const fields = {
    method: "POST",
    path: "/contacts",
    status: 201,
    requestId: "r-1",
    reason: "Interrupted" as const,
    detail: "other side closed",
    body: ""
  }

  it("says the outcome is unknown only when the call was not idempotent", () => {
    const create = new IntercomError.IncompleteResponse({ ...fields, outcomeUnknown: true })
    assert.include(create.message, "the outcome is unknown")
    assert.include(create.message, "look it up before sending it again")
    assert.include(create.message, "[request_id r-1]")
    const read = new IntercomError.IncompleteResponse({ ...fields, method: "GET", outcomeUnknown: false })
    assert.notInclude(read.message, "outcome")
  })
})
