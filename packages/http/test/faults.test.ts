/**
 * The client against a hostile server over real sockets (undici against node:http on 127.0.0.1): 5xx answers that
 * carry the rate-limit window, bodies cut off mid-JSON, a server that echoes the token in every form it can, a
 * token that cannot be sent, and a server whose first answers never come.
 */
import type { ServerResponse } from "node:http"
import { assert, describe, it } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Chunk, Config, ConfigError, ConfigProvider, Effect, Either, Fiber, Layer, Schema, TestClock } from "effect"
import { IntercomClient, IntercomConfig } from "../src/index.js"
import {
  Admin,
  admin,
  type AnyError,
  assertNoSecret,
  errorList,
  failsWith,
  realSleep,
  waitUntil,
  withClient
} from "./utils/client.js"
import { token } from "./utils/fake.js"
import * as TestServer from "./utils/TestServer.js"

const Contact = Schema.Struct({ type: Schema.Literal("contact"), id: Schema.String })
const NewContact = Schema.Struct({ email: Schema.String })

const createContact = (client: IntercomClient.Service) =>
  client.request({
    method: "POST",
    path: "/contacts",
    body: IntercomClient.jsonBody(NewContact, { email: "new@example.com" }),
    response: Contact
  })

const getMe = (client: IntercomClient.Service) => client.request({ method: "GET", path: "/me", response: Admin })

// ---------------------------------------------------------------------------------------------------------------
// Which delay hint a status may use (TestClock drives the client's time; the sockets run in real time)
// ---------------------------------------------------------------------------------------------------------------

/** Waits (in real time) until the client has scheduled a sleep ending at `atMillis` on the TestClock. */
const scheduledAt = (what: string, atMillis: number) =>
  Effect.gen(function* () {
    const deadline = Date.now() + 3000
    while (!Chunk.some(yield* TestClock.sleeps(), (at) => at === atMillis)) {
      if (Date.now() > deadline) {
        const sleeps = Chunk.toReadonlyArray(yield* TestClock.sleeps())
        return yield* Effect.dieMessage(`${what}: no sleep ends at ${atMillis} ms (pending: ${sleeps.join(", ")})`)
      }
      yield* realSleep(5)
    }
  })

/** Moves the TestClock to `atMillis` and gives a request that wrongly fires time to reach the server. */
const clockTo = (atMillis: number) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(atMillis)
    yield* realSleep(50)
  })

/** Intercom's window headers, on every answer: here 10 s until the reset. */
const windowHeaders = (remaining: number) => ({
  "x-ratelimit-limit": "166",
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-reset": "10"
})

describe("delay hints (TestClock)", () => {
  it.scoped("a 503 carrying X-RateLimit-* is retried after the backoff (500 ms, then 1 s), not at the reset", () =>
    Effect.gen(function* () {
      let answered = 0
      const server = yield* TestServer.make((_, response) => {
        answered += 1
        if (answered <= 2)
          TestServer.json(
            response,
            503,
            errorList("req-503", "service_unavailable", "x"),
            windowHeaders(166 - answered)
          )
        else TestServer.json(response, 200, admin, windowHeaders(166 - answered))
      })
      const fiber = yield* Effect.fork(withClient(server.url, {}, getMe))

      yield* scheduledAt("the first retry", 500)
      yield* clockTo(499)
      assert.strictEqual(server.received.length, 1)
      yield* clockTo(500)
      yield* waitUntil("the first retry reached the server", () => server.received.length === 2)

      yield* scheduledAt("the second retry", 1500)
      yield* clockTo(1499)
      assert.strictEqual(server.received.length, 2)
      yield* clockTo(1500)
      assert.deepStrictEqual(yield* Fiber.join(fiber), admin)
      assert.deepStrictEqual(server.statuses, [503, 503, 200])
    })
  )

  it.scoped("a 429 carrying X-RateLimit-Reset and no Retry-After still waits for the reset", () =>
    Effect.gen(function* () {
      let answered = 0
      const server = yield* TestServer.make((_, response) => {
        answered += 1
        const headers = { "x-ratelimit-limit": "166", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "3" }
        if (answered === 1) TestServer.json(response, 429, errorList("req-429", "rate_limit_exceeded", "x"), headers)
        else
          TestServer.json(response, 200, admin, {
            ...headers,
            "x-ratelimit-reset": "13",
            "x-ratelimit-remaining": "165"
          })
      })
      const fiber = yield* Effect.fork(withClient(server.url, {}, getMe))

      yield* scheduledAt("the retry", 3000)
      yield* clockTo(2999)
      assert.strictEqual(server.received.length, 1)
      // The gate adds its 50 ms margin to the reset before it lets the retry through.
      yield* clockTo(3049)
      assert.strictEqual(server.received.length, 1)
      yield* clockTo(3050)
      assert.deepStrictEqual(yield* Fiber.join(fiber), admin)
      assert.deepStrictEqual(server.statuses, [429, 200])
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// A 2xx whose body does not arrive whole
// ---------------------------------------------------------------------------------------------------------------

const fullContact = JSON.stringify({ type: "contact", id: "c-1", email: "new@example.com", role: "user" })
const fullAdmin = JSON.stringify(admin)

const cuts = {
  /** The connection dies after half of the announced body: the body read fails. */
  Interrupted: (response: ServerResponse, body: string) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) })
    response.write(body.slice(0, body.length / 2), () => response.destroy())
  },
  /** A chunked body that ends, cleanly, in the middle of the JSON. */
  Truncated: (response: ServerResponse, body: string) => {
    response.writeHead(200, { "content-type": "application/json" })
    response.end(body.slice(0, body.length / 2))
  }
} as const

describe("a 200 cut mid-body", () => {
  for (const [reason, cut] of Object.entries(cuts)) {
    it.scopedLive(`on a GET (${reason}) is retried and succeeds`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => {
          if (server.received.length === 1) cut(response, fullAdmin)
          else TestServer.json(response, 200, admin)
        })
        const me = yield* withClient(server.url, { retry: { baseDelay: "10 millis" } }, getMe)
        assert.deepStrictEqual(me, admin)
        assert.strictEqual(server.received.length, 2)
      })
    )

    it.scopedLive(`on a create-POST (${reason}) is not retried and fails saying the outcome is unknown`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => cut(response, fullContact))
        const error = yield* failsWith(
          "IncompleteResponse",
          withClient(server.url, { retry: { baseDelay: "10 millis" } }, createContact)
        )
        assert.strictEqual(error.reason, reason)
        assert.strictEqual(error.status, 200)
        assert.isTrue(error.outcomeUnknown)
        assert.include(error.message, "the outcome is unknown")
        // Long enough for a (wrong) retry after a 10 ms backoff to land.
        yield* realSleep(150)
        assert.strictEqual(server.received.length, 1)
      })
    )
  }
})

// ---------------------------------------------------------------------------------------------------------------
// The token in every form a server may echo it
// ---------------------------------------------------------------------------------------------------------------

const hex4 = (c: string) => c.charCodeAt(0).toString(16).padStart(4, "0")

/** How servers, proxies and WAFs write a value back. The test token holds `/`, `+` and `=` so every form differs. */
const forms = {
  raw: token,
  "JSON with escaped slashes": token.replaceAll("/", "\\/"),
  "JSON with unicode escapes": Array.from(token, (c) => `\\u${hex4(c)}`).join(""),
  "percent-encoded": encodeURIComponent(token),
  "percent-encoded twice": encodeURIComponent(encodeURIComponent(token))
}
const allForms = Object.values(forms)

/** Text naming the token in all its forms; written into JSON strings as is, so the escapes stay escapes. */
const echo = Object.entries(forms)
  .map(([name, form]) => `${name}: ${form}`)
  .join(" | ")

describe("the token in any form never reaches an error", () => {
  it("the forms really differ from each other", () => {
    assert.strictEqual(new Set(allForms).size, allForms.length)
  })

  const cases: ReadonlyArray<{
    readonly name: string
    readonly tag: AnyError["_tag"]
    readonly answer: (response: ServerResponse) => void
  }> = [
    {
      name: "a 401 error list and X-Request-Id",
      tag: "Unauthorized",
      answer: (response) => {
        response.writeHead(401, {
          "content-type": "application/json",
          "x-request-id": `req ${forms["percent-encoded"]}`
        })
        response.end(`{"type":"error.list","request_id":"r","errors":[{"code":"unauthorized","message":"${echo}"}]}`)
      }
    },
    {
      name: "a 502 HTML page",
      tag: "ServerError",
      answer: (response) => {
        response.writeHead(502, { "content-type": "text/html" })
        response.end(`<html><body>bad gateway for ${echo}</body></html>`)
      }
    },
    {
      name: "a 200 that is not JSON",
      tag: "IncompleteResponse",
      answer: (response) => {
        response.writeHead(200, { "content-type": "text/plain" })
        response.end(`you sent ${echo}`)
      }
    },
    {
      name: "a 200 whose mismatched field holds it",
      tag: "DecodeError",
      answer: (response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(`{"type":"admin","id":"991","email":{"echoed":"${echo}"}}`)
      }
    }
  ]

  for (const c of cases) {
    it.scopedLive(`${c.name} → ${c.tag}: no form in message, String, JSON.stringify or Cause.pretty`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => c.answer(response))
        const error = yield* Effect.flip(withClient(server.url, { retry: { maxRetries: 0 } }, getMe))
        assert.strictEqual(error._tag, c.tag)
        assertNoSecret(error, allForms)
        // Scrubbing kept the error body parseable: its fields were read after the token was taken out.
        if (error._tag === "Unauthorized") assert.strictEqual(error.errors[0]?.code, "unauthorized")
        // Every form was there to be removed: the server did echo them.
        const rendered = JSON.stringify(error)
        assert.isAtLeast(rendered.split("[redacted]").length - 1, allForms.length, rendered.slice(0, 300))
        yield* Effect.logInfo(error.message)
      })
    )
  }
})

// ---------------------------------------------------------------------------------------------------------------
// A token that cannot be sent fails when the layer is built
// ---------------------------------------------------------------------------------------------------------------

const badTokens = [
  { name: "a trailing newline", value: `${token}\n`, says: "line feed" },
  { name: "a space inside", value: token.replace("=", " "), says: "a space" },
  { name: "a non-ASCII character", value: `${token}é`, says: "cannot be sent in an HTTP header" },
  { name: "nothing", value: "", says: "empty" }
] as const

/** Builds the client from `config` and makes a call with it; the call must never run. */
const callWith = (config: Layer.Layer<IntercomConfig.IntercomConfig, ConfigError.ConfigError>) =>
  Effect.flatMap(IntercomClient.IntercomClient, (client) =>
    client.request({ method: "GET", path: "/me", response: Admin })
  ).pipe(
    Effect.provide(IntercomClient.layer.pipe(Layer.provide(config), Layer.provide(NodeHttpClient.layerUndici))),
    Effect.flip,
    Effect.map((error) => {
      assert.isTrue(ConfigError.isConfigError(error), `expected a ConfigError, got ${String(error)}`)
      return error as ConfigError.ConfigError
    }),
    Effect.tap(() => realSleep(50))
  )

describe("a token that cannot be sent", () => {
  for (const bad of badTokens) {
    it.scopedLive(`with ${bad.name} fails when the layer is built, and no request is sent`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, admin))
        const error = yield* callWith(IntercomConfig.layer({ accessToken: bad.value, baseUrl: server.url }))
        assert.strictEqual(error._op, "InvalidData")
        assert.include(String(error), "accessToken")
        assert.include(String(error), bad.says)
        if (bad.value !== "") assert.notInclude(String(error), bad.value.trim())
        assert.notInclude(String(error), token)
        assert.strictEqual(server.received.length, 0)
      })
    )
  }

  it.scopedLive(
    "read from INTERCOM_ACCESS_TOKEN or from the caller's Config, the error names the variable or the field",
    () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, admin))
        const provider = ConfigProvider.fromMap(
          new Map([
            ["INTERCOM_ACCESS_TOKEN", `${token}\n`],
            ["CRM_TOKEN", ` ${token}`],
            ["INTERCOM_BASE_URL", server.url]
          ])
        )
        const fromEnv = yield* callWith(IntercomConfig.layerConfig()).pipe(Effect.withConfigProvider(provider))
        assert.include(String(fromEnv), "INTERCOM_ACCESS_TOKEN")
        assert.include(String(fromEnv), "trailing newline")
        const fromOwn = yield* callWith(IntercomConfig.layerConfig({ accessToken: Config.redacted("CRM_TOKEN") })).pipe(
          Effect.withConfigProvider(provider)
        )
        assert.include(String(fromOwn), "accessToken")
        assert.include(String(fromOwn), "a space at character 1")
        for (const error of [fromEnv, fromOwn]) assert.notInclude(String(error), token)
        assert.strictEqual(server.received.length, 0)
      })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// A fresh client whose first answers never come does not go single file
// ---------------------------------------------------------------------------------------------------------------

describe("learning the window when the first attempts time out", () => {
  it.scopedLive("20 concurrent creates: the requests the server holds are in flight together, not one by one", () =>
    Effect.gen(function* () {
      const stalled = 10
      let held = 0
      let maxHeld = 0
      let answered = 0
      const server = yield* TestServer.make((_, response) => {
        if (server.received.length <= stalled) {
          // Never answer: the client's timeout gives up on it.
          held += 1
          maxHeld = Math.max(maxHeld, held)
          response.on("close", () => {
            held -= 1
          })
          return
        }
        answered += 1
        TestServer.json(
          response,
          200,
          { type: "contact", id: `c-${answered}` },
          {
            "x-ratelimit-limit": "1000",
            "x-ratelimit-remaining": String(1000 - answered),
            "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 10)
          }
        )
      })
      // A timeout long beside a loaded machine's scheduling delays: the answered creates must not time out too, and
      // the held ones must have the time to arrive together if the client lets them.
      const results = yield* withClient(server.url, { timeout: "2 seconds" }, (client) =>
        Effect.forEach(Array.from({ length: 20 }), () => Effect.either(createContact(client)), {
          concurrency: "unbounded"
        })
      )
      yield* Effect.logInfo(`held at once: ${maxHeld} of ${stalled}; answered: ${answered}`)

      // Every create went out exactly once: a create that timed out is not repeated.
      assert.strictEqual(server.received.length, 20)
      const failures = results.filter(Either.isLeft).map((r) => r.left._tag)
      assert.deepStrictEqual(
        failures,
        Array.from({ length: stalled }, () => "TimeoutError")
      )
      // Sent one after another, at most one held request (two while a close is in transit) would overlap.
      assert.isAtLeast(maxHeld, 5)
    })
  )
})
