import { assert, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Schema, Stream, TestClock, Tracer } from "effect"
import { IntercomClient } from "../src/index.js"
import { clientLayer, errorList, jsonResponse, token } from "./utils/fake.js"

/** Wraps the current tracer and writes down every span name, attribute and event the calls produce. */
const recording = (inner: Tracer.Tracer, out: Array<string>): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = inner.span(name, parent, context, links, startTime, kind, options)
      out.push(`span ${name} ${JSON.stringify(options?.attributes ?? {})}`)
      const attribute = span.attribute.bind(span)
      const event = span.event.bind(span)
      span.attribute = (key, value) => {
        out.push(`${key}=${String(value)}`)
        attribute(key, value)
      }
      span.event = (name, startTime, attributes) => {
        out.push(`event ${name} ${JSON.stringify(attributes ?? {})}`)
        event(name, startTime, attributes)
      }
      const end = span.end.bind(span)
      // Exporters record a failed span's cause; a success value (here the raw response) is not exported.
      span.end = (endTime, exit) => {
        out.push(`end ${name} ${Exit.isFailure(exit) ? Cause.pretty(exit.cause, { renderErrorCause: true }) : "ok"}`)
        end(endTime, exit)
      }
      return span
    },
    context: (f, fiber) => inner.context(f, fiber)
  })

it.effect("one span per call carries method, path, status, request id and failed attempts, never the token", () =>
  Effect.gen(function* () {
    const recorded: Array<string> = []
    const setup = clientLayer((request, i) =>
      Effect.succeed(
        i === 0
          ? jsonResponse(200, { id: "1" }, { "x-request-id": "req-ok" })
          : i === 1
            ? jsonResponse(503, errorList("service_unavailable", "try later"))
            : // A failure whose body echoes the credential it was sent.
              jsonResponse(401, errorList("unauthorized", `bad token ${String(request.headers["authorization"])}`))
      )
    )
    const call = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
      client.request({ method: "GET", path: "/me", response: Schema.Struct({ id: Schema.String }) })
    )
    const inner = yield* Effect.tracer
    const fiber = yield* Effect.gen(function* () {
      yield* call
      // 503, retried after 500 ms, then 401.
      yield* Effect.flip(call)
    }).pipe(Effect.provide(setup.layer), Effect.withTracer(recording(inner, recorded)), Effect.fork)
    yield* TestClock.adjust("1 second")
    yield* Fiber.join(fiber)

    const text = recorded.join("\n")
    // One span per call: the transport's own per-attempt span is off, so no trace headers go out either.
    assert.deepStrictEqual(
      recorded.filter((line) => line.startsWith("span ")).map((line) => line.split(" ")[1]),
      ["IntercomClient.request", "IntercomClient.request"]
    )
    assert.include(text, "intercom.path=/me")
    assert.include(text, "http.request.method=GET")
    assert.include(text, "http.response.status_code=200")
    assert.include(text, "intercom.request_id=req-ok")
    assert.include(text, 'event intercom.attempt.failed {"error.type":"ServerError","http.response.status_code":503}')
    assert.include(text, "http.response.status_code=401")
    assert.include(text, "Unauthorized")
    assert.notInclude(text.toLowerCase(), "authorization=")
    assert.notInclude(text, token)
    assert.isTrue(setup.seen.every((request) => !("traceparent" in request.headers) && !("b3" in request.headers)))
  })
)

it.effect("each method runs in a span of its own name, with the method and path", () =>
  Effect.gen(function* () {
    const recorded: Array<string> = []
    const setup = clientLayer(() => Effect.succeed(jsonResponse(200, { id: "1" })))
    const inner = yield* Effect.tracer
    yield* Effect.gen(function* () {
      const client = yield* IntercomClient.IntercomClient
      const response = Schema.Struct({ id: Schema.String })
      yield* client.request({ method: "GET", path: "/a", response })
      yield* client.requestWithMeta({ method: "GET", path: "/b", response })
      yield* client.requestVoid({ method: "DELETE", path: "/c" })
      yield* Stream.runDrain(client.stream({ method: "GET", path: "/d" }))
    }).pipe(Effect.provide(setup.layer), Effect.withTracer(recording(inner, recorded)))

    const names = recorded.filter((line) => line.startsWith("span IntercomClient."))
    assert.deepStrictEqual(
      names.map((line) => line.split(" ")[1]),
      [
        "IntercomClient.request",
        "IntercomClient.requestWithMeta",
        "IntercomClient.requestVoid",
        "IntercomClient.stream"
      ]
    )
    for (const path of ["/a", "/b", "/c", "/d"]) assert.include(recorded.join("\n"), `intercom.path=${path}`)
  })
)

it.effect("a call that carries its operation opens one span named for it", () =>
  Effect.gen(function* () {
    const recorded: Array<string> = []
    const setup = clientLayer(() => Effect.succeed(jsonResponse(200, { id: "1" })))
    const inner = yield* Effect.tracer
    yield* Effect.flatMap(IntercomClient.IntercomClient, (client) =>
      client.request({
        method: "GET",
        path: "/me",
        operation: { name: "Admins.me" },
        response: Schema.Struct({ id: Schema.String })
      })
    ).pipe(Effect.provide(setup.layer), Effect.withTracer(recording(inner, recorded)))
    assert.deepStrictEqual(
      recorded.filter((line) => line.startsWith("span ")).map((line) => line.split(" ")[1]),
      ["Admins.me"]
    )
  })
)
