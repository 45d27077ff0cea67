/**
 * The client over real sockets: a node:http server on 127.0.0.1 and the undici transport of @effect/platform-node.
 * Proves what actually goes over the wire (headers, query, bodies, the region's host), how every real status and
 * body becomes a typed error, that empty bodies and streamed downloads work, and that interruption and timeouts
 * close the connection.
 */
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Cause, ConfigProvider, Effect, Fiber, Layer, Option, Schema, Stream } from "effect"
import { freePort } from "@intercom-effect/testing/Ports"
import { IntercomClient, IntercomConfig } from "../src/index.js"
import { Admin, admin, errorList, failsWith, getMeOnce, noRetry, str, waitUntil, withClient } from "./utils/client.js"
import { token } from "./utils/fake.js"
import * as TestServer from "./utils/TestServer.js"

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }

const Tag = Schema.Struct({ type: Schema.Literal("tag"), id: Schema.String, name: Schema.String })
const AdminRef = Schema.Struct({ admin_id: Schema.String })

// ---------------------------------------------------------------------------------------------------------------
// 1. What goes over the wire
// ---------------------------------------------------------------------------------------------------------------

describe("requests on the wire", () => {
  it.scopedLive("sends the auth, version, accept and user-agent headers on every request, and no trace headers", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((request, response) => {
        if (request.url.startsWith("/tags")) TestServer.json(response, 200, { type: "tag", id: "7", name: "vip" })
        else TestServer.json(response, 200, admin)
      })
      yield* withClient(server.url, {}, (client) =>
        Effect.gen(function* () {
          yield* client.request({ method: "GET", path: "/me", response: Admin })
          yield* client.request({
            method: "GET",
            path: IntercomClient.path`/tags/${"a/b c"}`,
            urlParams: { email: "a+b c@example.com", per_page: 5, "tags[]": ["x&y", "z=1"] },
            response: Tag
          })
          yield* client.request({
            method: "PUT",
            path: "/tags/7",
            body: IntercomClient.jsonBody(Schema.Struct({ name: Schema.String }), { name: "vip ✓" }),
            response: Tag
          })
          yield* client.requestVoid({
            method: "DELETE",
            path: "/tags/7",
            body: IntercomClient.jsonBody(AdminRef, { admin_id: "991" })
          })
          yield* client.request({
            method: "POST",
            path: "/tags",
            body: IntercomClient.jsonBody(Schema.Struct({ name: Schema.String }), { name: "new" }),
            response: Tag
          })
        })
      )

      assert.strictEqual(server.received.length, 5)
      for (const received of server.received) {
        const h = received.headers
        assert.strictEqual(h["authorization"], `Bearer ${token}`, received.url)
        assert.strictEqual(h["intercom-version"], "2.10")
        assert.strictEqual(h["accept"], "application/json")
        const userAgent = str(h["user-agent"]) ?? ""
        assert.include(userAgent, "intercom-effect")
        assert.include(userAgent, `/${pkg.version}`)
        for (const name of Object.keys(h)) {
          assert.isFalse(
            name === "traceparent" || name === "tracestate" || name === "b3" || name.startsWith("x-b3-"),
            `trace header ${name} was sent`
          )
        }
      }

      const [get, query, put, del, post] = server.received
      assert.strictEqual(get?.method, "GET")
      assert.strictEqual(get?.url, "/me")
      assert.strictEqual(get?.body, "")

      // Path parameter and query values are encoded, and decode back to what was given.
      assert.strictEqual(query?.method, "GET")
      const url = new URL(query?.url ?? "", server.url)
      assert.strictEqual(url.pathname, "/tags/a%2Fb%20c")
      assert.strictEqual(url.searchParams.get("email"), "a+b c@example.com")
      assert.strictEqual(url.searchParams.get("per_page"), "5")
      assert.deepStrictEqual(url.searchParams.getAll("tags[]"), ["x&y", "z=1"])
      assert.notInclude(url.search, "a+b c@")
      assert.include(url.search, "a%2Bb")

      assert.strictEqual(put?.method, "PUT")
      assert.strictEqual(str(put?.headers["content-type"]), "application/json")
      assert.deepStrictEqual(JSON.parse(put?.body ?? ""), { name: "vip ✓" })

      assert.strictEqual(del?.method, "DELETE")
      assert.strictEqual(del?.url, "/tags/7")
      assert.strictEqual(str(del?.headers["content-type"]), "application/json")
      assert.deepStrictEqual(JSON.parse(del?.body ?? ""), { admin_id: "991" })

      assert.strictEqual(post?.method, "POST")
      assert.deepStrictEqual(JSON.parse(post?.body ?? ""), { name: "new" })
    })
  )

  it.scopedLive("control: the same transport without the SDK does propagate trace headers", () =>
    Effect.gen(function* () {
      // Makes the "no trace headers" check above meaningful: the plain undici client adds them by default.
      const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, {}))
      yield* HttpClient.get(`${server.url}/plain`).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
      const names = Object.keys(server.received[0]?.headers ?? {})
      assert.isTrue(
        names.includes("traceparent") || names.includes("b3"),
        `expected trace headers from a bare client, got ${names.join(", ")}`
      )
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 2. Regions and base URL
// ---------------------------------------------------------------------------------------------------------------

const intercomOrigins = new Set(Object.values(IntercomConfig.regionBaseUrls))

/**
 * An HttpClient that records the full URL the SDK built and then re-targets an Intercom origin to the local server,
 * telling it the original origin in `x-original-origin`. It wraps the post-processing stage because the SDK adds the
 * base URL with its own `mapRequest`, which runs after any `mapRequest` of the client it is given.
 */
const retargeting = (target: string, seen: Array<string>) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (inner) =>
      HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
        (request) =>
          Effect.flatMap(request, (built) => {
            seen.push(built.url)
            const origin = new URL(built.url).origin
            return inner.execute(
              intercomOrigins.has(origin)
                ? built.pipe(
                    HttpClientRequest.setUrl(target + built.url.slice(origin.length)),
                    HttpClientRequest.setHeader("x-original-origin", origin)
                  )
                : built
            )
          }),
        Effect.succeed
      )
    )
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** Answers /me with the origin the request was meant for ("direct" when it was not re-targeted). */
const originServer = TestServer.make((request, response) =>
  TestServer.json(response, 200, { ...admin, email: str(request.headers["x-original-origin"]) ?? "direct" })
)

const callMe = (clientLayer: Layer.Layer<IntercomClient.IntercomClient, unknown>) =>
  Effect.flatMap(IntercomClient.IntercomClient, (client) =>
    client.request({ method: "GET", path: "/me", urlParams: { q: "1" }, response: Admin })
  ).pipe(Effect.provide(clientLayer), Effect.orDie)

describe("regions", () => {
  it.effect("resolves each region's base URL", () =>
    Effect.gen(function* () {
      const baseUrl = (options: Omit<IntercomConfig.Options, "accessToken">) =>
        Effect.map(IntercomConfig.make({ accessToken: token, ...options }), (config) => config.baseUrl)
      assert.strictEqual(yield* baseUrl({}), "https://api.intercom.io")
      assert.strictEqual(yield* baseUrl({ region: "us" }), "https://api.intercom.io")
      assert.strictEqual(yield* baseUrl({ region: "eu" }), "https://api.eu.intercom.io")
      assert.strictEqual(yield* baseUrl({ region: "au" }), "https://api.au.intercom.io")
      // An explicit base URL wins over the region, and a trailing slash is dropped.
      assert.strictEqual(yield* baseUrl({ region: "eu", baseUrl: "http://127.0.0.1:9/" }), "http://127.0.0.1:9")
    })
  )

  for (const region of ["us", "eu", "au"] as const) {
    it.scopedLive(`sends requests to the ${region} host`, () =>
      Effect.gen(function* () {
        const server = yield* originServer
        const seen: Array<string> = []
        const me = yield* callMe(
          IntercomClient.layer.pipe(
            Layer.provide(IntercomConfig.layer({ accessToken: token, region })),
            Layer.provide(retargeting(server.url, seen))
          )
        )
        const origin = IntercomConfig.regionBaseUrls[region]
        assert.deepStrictEqual(seen, [`${origin}/me`])
        assert.strictEqual(me.email, origin)
        assert.strictEqual(server.received[0]?.url, "/me?q=1")
        assert.strictEqual(server.received[0]?.headers["authorization"], `Bearer ${token}`)
      })
    )
  }

  it.scopedLive("layerConfig reads INTERCOM_REGION", () =>
    Effect.gen(function* () {
      const server = yield* originServer
      const seen: Array<string> = []
      const provider = ConfigProvider.fromMap(
        new Map([
          ["INTERCOM_ACCESS_TOKEN", token],
          ["INTERCOM_REGION", "au"]
        ])
      )
      const config = yield* IntercomConfig.IntercomConfig.pipe(
        Effect.provide(IntercomConfig.layerConfig()),
        Effect.withConfigProvider(provider)
      )
      assert.strictEqual(config.baseUrl, "https://api.au.intercom.io")
      assert.notInclude(String(config.accessToken), token)

      const me = yield* callMe(
        IntercomClient.layerConfig().pipe(
          Layer.provide(retargeting(server.url, seen)),
          Layer.provide(Layer.setConfigProvider(provider))
        )
      )
      assert.deepStrictEqual(seen, ["https://api.au.intercom.io/me"])
      assert.strictEqual(me.email, "https://api.au.intercom.io")
    })
  )

  it.scopedLive("layerConfig: INTERCOM_BASE_URL overrides the region, and the region defaults to us", () =>
    Effect.gen(function* () {
      const server = yield* originServer
      const seen: Array<string> = []
      const provider = ConfigProvider.fromMap(
        new Map([
          ["INTERCOM_ACCESS_TOKEN", token],
          ["INTERCOM_REGION", "eu"],
          ["INTERCOM_BASE_URL", `${server.url}/`]
        ])
      )
      const me = yield* callMe(
        IntercomClient.layerConfig({ retry: { maxRetries: 0 } }).pipe(
          Layer.provide(retargeting(server.url, seen)),
          Layer.provide(Layer.setConfigProvider(provider))
        )
      )
      assert.deepStrictEqual(seen, [`${server.url}/me`])
      assert.strictEqual(me.email, "direct")
      assert.strictEqual(server.received[0]?.headers["authorization"], `Bearer ${token}`)

      const defaults = yield* IntercomConfig.IntercomConfig.pipe(
        Effect.provide(IntercomConfig.layerConfig()),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["INTERCOM_ACCESS_TOKEN", token]])))
      )
      assert.strictEqual(defaults.baseUrl, "https://api.intercom.io")

      // An unknown region is a configuration error, not a silent fallback.
      const bad = yield* IntercomConfig.IntercomConfig.pipe(
        Effect.provide(IntercomConfig.layerConfig()),
        Effect.withConfigProvider(
          ConfigProvider.fromMap(
            new Map([
              ["INTERCOM_ACCESS_TOKEN", token],
              ["INTERCOM_REGION", "mars"]
            ])
          )
        ),
        Effect.flip
      )
      yield* Effect.logInfo(String(bad))
      assert.include(String(bad), "INTERCOM_REGION")
      assert.notInclude(String(bad), token)
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 3. Every error class from a real status and body
// ---------------------------------------------------------------------------------------------------------------

const statusCases = [
  { status: 400, tag: "BadRequest", code: "parameter_invalid", field: "email" },
  { status: 401, tag: "Unauthorized", code: "unauthorized", field: undefined },
  { status: 403, tag: "Forbidden", code: "api_plan_restricted", field: undefined },
  { status: 404, tag: "NotFound", code: "not_found", field: undefined },
  { status: 409, tag: "Conflict", code: "conflict", field: "email" },
  { status: 422, tag: "UnprocessableEntity", code: "parameter_mismatch", field: "role" }
] as const

/** Answers /status/{code} with that status and an Intercom error list. */
const statusServer = TestServer.make((request, response) => {
  const status = Number(/^\/status\/(\d+)/.exec(request.url)?.[1] ?? "500")
  TestServer.json(response, status, errorList(`req-${status}`, `code_${status}`, `message for ${status}`))
})

describe("errors from real responses", () => {
  for (const c of statusCases) {
    it.scopedLive(`${c.status} with an error list → ${c.tag}`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) =>
          TestServer.json(
            response,
            c.status,
            errorList(`req-${c.status}`, c.code, `message for ${c.status}`, c.field),
            c.status === 401 ? { "www-authenticate": "Bearer" } : {}
          )
        )
        const error = yield* failsWith(
          c.tag,
          withClient(server.url, noRetry, (client) =>
            client.request({ method: "GET", path: "/contacts/123", urlParams: { email: "x@y.z" }, response: Admin })
          )
        )
        assert.strictEqual(error.status, c.status)
        assert.strictEqual(error.method, "GET")
        assert.strictEqual(error.path, "/contacts/123")
        assert.strictEqual(error.requestId, `req-${c.status}`)
        assert.strictEqual(error.errorKey, null)
        assert.deepStrictEqual(
          error.errors.map((e) => ({ code: e.code, message: e.message, field: e.field })),
          [{ code: c.code, message: `message for ${c.status}`, field: c.field ?? null }]
        )
        assert.include(error.message, c.code)
        assert.include(error.message, `req-${c.status}`)
        assert.include(error.body, `"request_id":"req-${c.status}"`)
        // The query (which may hold an e-mail address) is not part of the error.
        assert.notInclude(JSON.stringify(error), "x@y.z")
        assert.strictEqual(server.received.length, 1)
      })
    )
  }

  it.scopedLive("X-Request-Id wins over the body's request_id", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) =>
        TestServer.json(response, 404, errorList("req-body", "not_found", "gone"), { "x-request-id": "req-header" })
      )
      const error = yield* failsWith("NotFound", getMeOnce(server.url))
      assert.strictEqual(error.requestId, "req-header")
    })
  )

  it.scopedLive("a 404 is not retried by the default policy", () =>
    Effect.gen(function* () {
      const server = yield* statusServer
      yield* failsWith(
        "NotFound",
        withClient(server.url, { retry: { baseDelay: "10 millis", jitter: 0 } }, (client) =>
          client.request({ method: "GET", path: "/status/404", response: Admin })
        )
      )
      assert.strictEqual(server.received.length, 1)
    })
  )

  it.scopedLive("429 → RateLimited with retryAfterMillis from Retry-After (retries off)", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) =>
        TestServer.json(response, 429, errorList("req-429", "rate_limit_exceeded", "Too many requests"), {
          "retry-after": "2",
          "x-request-id": "req-429h"
        })
      )
      const error = yield* failsWith(
        "RateLimited",
        withClient(server.url, noRetry, (client) =>
          client.request({ method: "GET", path: "/contacts", response: Admin })
        )
      )
      assert.strictEqual(error.status, 429)
      assert.strictEqual(error.retryAfterMillis, 2000)
      assert.isTrue(error.transient)
      assert.strictEqual(error.requestId, "req-429h")
      assert.strictEqual(error.errors[0]?.code, "rate_limit_exceeded")
      assert.strictEqual(server.received.length, 1)
    })
  )

  for (const status of [500, 503] as const) {
    it.scopedLive(`${status} → ServerError`, () =>
      Effect.gen(function* () {
        const server = yield* statusServer
        const error = yield* failsWith(
          "ServerError",
          withClient(server.url, noRetry, (client) =>
            client.request({ method: "GET", path: `/status/${status}`, response: Admin })
          )
        )
        assert.strictEqual(error.status, status)
        assert.strictEqual(error.requestId, `req-${status}`)
        assert.strictEqual(error.errors[0]?.code, `code_${status}`)
        assert.strictEqual(error.retryAfterMillis, null)
      })
    )
  }

  it.scopedLive("415 → UnexpectedStatus", () =>
    Effect.gen(function* () {
      const server = yield* statusServer
      const error = yield* failsWith(
        "UnexpectedStatus",
        withClient(server.url, noRetry, (client) =>
          client.request({
            method: "POST",
            path: "/status/415",
            body: IntercomClient.jsonBody(AdminRef, { admin_id: "1" }),
            response: Admin
          })
        )
      )
      assert.strictEqual(error.status, 415)
      assert.strictEqual(error.method, "POST")
      assert.strictEqual(error.requestId, "req-415")
    })
  )

  it.scopedLive("the {error_key, message} body shape sets errorKey", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) =>
        TestServer.json(response, 422, { error_key: "invalid_phone_number", message: "Invalid phone number" })
      )
      const error = yield* failsWith(
        "UnprocessableEntity",
        withClient(server.url, noRetry, (client) =>
          client.request({
            method: "POST",
            path: "/phone_call_redirects",
            body: IntercomClient.jsonBody(Schema.Struct({ phone: Schema.String }), { phone: "+1" }),
            response: Schema.Struct({ url: Schema.String })
          })
        )
      )
      assert.strictEqual(error.errorKey, "invalid_phone_number")
      assert.deepStrictEqual(error.errors, [])
      assert.strictEqual(error.requestId, null)
      assert.include(error.message, "invalid_phone_number")
      assert.include(error.body, "Invalid phone number")
    })
  )

  it.scopedLive("a 100 KB HTML 502 → ServerError with a bounded snippet of the page", () =>
    Effect.gen(function* () {
      const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${"x".repeat(100_000)}</body></html>`
      const server = yield* TestServer.make((_, response) => {
        response.writeHead(502, { "content-type": "text/html" })
        response.end(page)
      })
      const error = yield* failsWith("ServerError", getMeOnce(server.url))
      assert.strictEqual(error.status, 502)
      assert.isAtMost(error.body.length, 1024)
      assert.isTrue(error.body.startsWith("<!DOCTYPE html><html><head><title>502 Bad Gateway"), error.body.slice(0, 80))
      assert.deepStrictEqual(error.errors, [])
      assert.strictEqual(error.requestId, null)
      assert.isBelow(error.message.length, 1024)
      assert.isBelow(JSON.stringify(error).length, 4096)
    })
  )

  it.scopedLive("a 200 whose body is not JSON → IncompleteResponse (NotJson) with the snippet", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) => {
        response.writeHead(200, { "content-type": "text/html", "x-request-id": "req-html" })
        response.end("<html>maintenance</html>")
      })
      const error = yield* failsWith("IncompleteResponse", getMeOnce(server.url))
      assert.strictEqual(error.status, 200)
      assert.strictEqual(error.reason, "NotJson")
      assert.strictEqual(error.body, "<html>maintenance</html>")
      assert.strictEqual(error.requestId, "req-html")
      // A GET can be repeated, so there is nothing unknown about its outcome.
      assert.isFalse(error.outcomeUnknown)
      assert.notInclude(error.message, "outcome is unknown")
    })
  )

  it.scopedLive("a 200 whose JSON does not match the schema → DecodeError naming the field", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) =>
        TestServer.json(response, 200, { type: "admin", id: 991, email: "ops@example.com" })
      )
      const error = yield* failsWith("DecodeError", getMeOnce(server.url))
      assert.deepStrictEqual(error.fieldPath, ["id"])
      assert.include(error.message, "at id:")
      assert.include(error.body, '"id":991')
    })
  )

  it.scopedLive("a bad item in a list → DecodeError naming its index, keeping the whole body without printing it", () =>
    Effect.gen(function* () {
      const filler = "x".repeat(100_000)
      const page = { type: "list", data: [admin, { ...admin, id: "2", note: filler }, { ...admin, id: "3", email: 7 }] }
      const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, page))
      const Page = Schema.Struct({ type: Schema.String, data: Schema.Array(Admin) })
      const error = yield* failsWith(
        "DecodeError",
        withClient(server.url, noRetry, (client) => client.request({ method: "GET", path: "/admins", response: Page }))
      )
      assert.deepStrictEqual(error.fieldPath, ["data", 2, "email"])
      assert.include(error.message, "at data[2].email:")
      assert.deepStrictEqual(error.json, page)
      for (const printed of [error.message, String(error), JSON.stringify(error), Cause.pretty(Cause.fail(error))]) {
        assert.isBelow(printed.length, 10_000)
      }
    })
  )

  it.scopedLive("an invalid body → InvalidRequest and the server receives nothing", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, admin))
      const error = yield* failsWith(
        "InvalidRequest",
        withClient(server.url, {}, (client) =>
          client.request({
            method: "POST",
            path: "/tags",
            body: IntercomClient.jsonBody(
              Schema.Struct({ name: Schema.NonEmptyString }),
              JSON.parse('{"name":"","colour":"red"}') as { name: string }
            ),
            response: Tag
          })
        )
      )
      assert.include(error.issue, "name")
      assert.include(error.issue, "colour")
      // Give a stray request time to land before concluding none was sent.
      yield* Effect.sleep("50 millis")
      assert.strictEqual(server.received.length, 0)
    })
  )

  it.live("a refused connection → TransportError", () =>
    Effect.gen(function* () {
      // A port that was just free: bind, read it, close.
      const port = yield* freePort
      const error = yield* failsWith(
        "TransportError",
        withClient(`http://127.0.0.1:${port}`, noRetry, (client) =>
          client.request({ method: "GET", path: "/me", response: Admin })
        )
      )
      assert.strictEqual(error.method, "GET")
      assert.strictEqual(error.path, "/me")
      assert.strictEqual(error.reason, "Transport")
      assert.include(error.detail, "ECONNREFUSED")
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 4. Empty 2xx bodies
// ---------------------------------------------------------------------------------------------------------------

describe("empty 2xx bodies", () => {
  it.scopedLive("requestVoid on an empty 202 and an empty 200; request with Void/Undefined on an empty 200", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((request, response) => {
        response.writeHead(request.url === "/events" ? 202 : 200, { "x-request-id": `req-${request.method}` })
        response.end()
      })
      const results = yield* withClient(server.url, noRetry, (client) =>
        Effect.gen(function* () {
          const event = yield* client.requestVoid({
            method: "POST",
            path: "/events",
            body: IntercomClient.jsonBody(Schema.Struct({ event_name: Schema.String }), { event_name: "signed-up" })
          })
          const deleted = yield* client.requestVoid({ method: "DELETE", path: "/tags/7" })
          const asVoid = yield* client.request({ method: "DELETE", path: "/tags/8", response: Schema.Void })
          const asUndefined = yield* client.requestWithMeta({
            method: "PUT",
            path: "/tags/9",
            response: Schema.Undefined
          })
          return { event, deleted, asVoid, asUndefined }
        })
      )
      assert.strictEqual(results.event, undefined)
      assert.strictEqual(results.deleted, undefined)
      assert.strictEqual(results.asVoid, undefined)
      assert.strictEqual(results.asUndefined.value, undefined)
      assert.strictEqual(results.asUndefined.meta.status, 200)
      assert.strictEqual(results.asUndefined.meta.requestId, "req-PUT")
      assert.deepStrictEqual(server.statuses, [202, 200, 200, 200])
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 5. Streamed download
// ---------------------------------------------------------------------------------------------------------------

describe("streamed download", () => {
  it.scopedLive("streams the body as it arrives, with the requested Accept", () =>
    Effect.gen(function* () {
      const first = Buffer.alloc(64 * 1024, "a")
      const rest = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 31 + 7) % 256))
      let releaseRest: () => void = () => {}
      const firstReceived = new Promise<void>((resolve) => {
        releaseRest = resolve
      })
      // Unblock the server whatever happens, so it never keeps a handler pending past the test.
      yield* Effect.addFinalizer(() => Effect.sync(() => releaseRest()))
      let restWritten = false
      const server = yield* TestServer.make(async (_, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" })
        response.write(first)
        await firstReceived
        restWritten = true
        response.end(rest)
      })

      const chunks: Array<Uint8Array> = []
      let restWrittenAtFirstChunk: boolean | undefined
      yield* withClient(server.url, {}, (client) =>
        client.stream({ method: "GET", path: "/download/content/data/abc", accept: "application/octet-stream" }).pipe(
          Stream.runForEach((chunk) =>
            Effect.sync(() => {
              if (chunks.length === 0) {
                restWrittenAtFirstChunk = restWritten
                releaseRest()
              }
              chunks.push(chunk)
            })
          ),
          // A buffering client would wait for the end that the server only writes after the first chunk arrived.
          Effect.timeoutFail({
            duration: "5 seconds",
            onTimeout: () => new Error("no chunk arrived before the whole body: the response is buffered")
          })
        )
      )
      assert.strictEqual(restWrittenAtFirstChunk, false)
      assert.isAbove(chunks.length, 1)
      assert.strictEqual(server.received[0]?.headers["accept"], "application/octet-stream")
      assert.strictEqual(server.received[0]?.url, "/download/content/data/abc")
      assert.isTrue(Buffer.concat(chunks).equals(Buffer.concat([first, rest])))
      yield* Effect.log(`streamed ${chunks.length} chunks, ${Buffer.concat(chunks).length} bytes`)
    })
  )

  it.scopedLive("a failed download is a typed error, not a stream of the error page", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) =>
        TestServer.json(response, 404, errorList("req-dl", "not_found", "Export job not found"))
      )
      const error = yield* failsWith(
        "NotFound",
        withClient(server.url, noRetry, (client) =>
          Stream.runCollect(
            client.stream({ method: "GET", path: "/download/content/data/nope", accept: "application/octet-stream" })
          )
        )
      )
      assert.strictEqual(error.requestId, "req-dl")
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 6-7. Interruption and timeouts close the connection
// ---------------------------------------------------------------------------------------------------------------

describe("interruption and timeouts", () => {
  it.scopedLive("interrupting a call closes its connection", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make(() => {
        // Hold the response.
      })
      const fiber = yield* Effect.fork(
        withClient(server.url, {}, (client) => client.request({ method: "GET", path: "/me", response: Admin }))
      )
      yield* waitUntil("the server received the request", () => server.received.length === 1)
      assert.isFalse(server.received[0]?.aborted)
      yield* Fiber.interrupt(fiber)
      yield* waitUntil("the server saw the connection close", () => server.received[0]?.aborted === true)
      assert.isTrue(server.received[0]?.aborted)
      assert.strictEqual(server.received.length, 1)
    })
  )

  it.scopedLive("interrupting a stream mid-download closes its connection", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" })
        response.write(Buffer.alloc(1024, "a"))
        // ...and never finish.
      })
      const got = yield* withClient(server.url, {}, (client) =>
        client
          .stream({ method: "GET", path: "/download/content/data/abc", accept: "application/octet-stream" })
          .pipe(Stream.take(1), Stream.runCollect)
      )
      assert.strictEqual(got.length, 1)
      yield* waitUntil("the server saw the connection close", () => server.received[0]?.aborted === true)
    })
  )

  it.scopedLive("a GET that never gets an answer times out per attempt, 3 attempts, each aborted", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make(() => {})
      const started = Date.now()
      const error = yield* failsWith(
        "TimeoutError",
        withClient(
          server.url,
          { timeout: "200 millis", retry: { maxRetries: 2, baseDelay: "10 millis", jitter: 0 } },
          (client) => client.request({ method: "GET", path: "/contacts", response: Admin })
        )
      )
      const elapsed = Date.now() - started
      assert.strictEqual(error.timeoutMillis, 200)
      assert.strictEqual(error.path, "/contacts")
      assert.strictEqual(server.received.length, 3)
      assert.isAtLeast(elapsed, 600)
      yield* waitUntil("every attempt's connection was closed", () => server.received.every((r) => r.aborted))
      assert.strictEqual(server.received.length, 3)
      yield* Effect.log(`3 timed-out attempts took ${elapsed} ms`)
    })
  )

  it.scopedLive("a create-POST that times out is not retried", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make(() => {})
      yield* failsWith(
        "TimeoutError",
        withClient(
          server.url,
          { timeout: "200 millis", retry: { maxRetries: 2, baseDelay: "10 millis", jitter: 0 } },
          (client) =>
            client.request({
              method: "POST",
              path: "/contacts",
              body: IntercomClient.jsonBody(Schema.Struct({ email: Schema.String }), { email: "a@b.c" }),
              response: Admin
            })
        )
      )
      yield* waitUntil("the attempt's connection was closed", () => server.received[0]?.aborted === true)
      // Long enough for a (wrong) retry after 10 ms backoff to land.
      yield* Effect.sleep("100 millis")
      assert.strictEqual(server.received.length, 1)
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 8. Retries over sockets
// ---------------------------------------------------------------------------------------------------------------

describe("retries over sockets", () => {
  it.scopedLive("a GET answered 503 twice, then 200, succeeds after 3 requests", () =>
    Effect.gen(function* () {
      let answered = 0
      const server = yield* TestServer.make((_, response) => {
        answered += 1
        if (answered <= 2) TestServer.json(response, 503, errorList("req-503", "service_unavailable", "try later"))
        else TestServer.json(response, 200, admin)
      })
      const me = yield* withClient(server.url, { retry: { baseDelay: "10 millis", jitter: 0 } }, (client) =>
        client.request({ method: "GET", path: "/me", response: Admin })
      )
      assert.deepStrictEqual(me, admin)
      assert.deepStrictEqual(server.statuses, [503, 503, 200])
    })
  )

  it.scopedLive("a create-POST answered 503 is sent once", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) =>
        TestServer.json(response, 503, errorList("req-503", "service_unavailable", "try later"))
      )
      const error = yield* failsWith(
        "ServerError",
        withClient(server.url, { retry: { baseDelay: "10 millis", jitter: 0 } }, (client) =>
          client.request({
            method: "POST",
            path: "/contacts",
            body: IntercomClient.jsonBody(Schema.Struct({ email: Schema.String }), { email: "a@b.c" }),
            response: Admin
          })
        )
      )
      assert.strictEqual(error.status, 503)
      yield* Effect.sleep("100 millis")
      assert.strictEqual(server.received.length, 1)
    })
  )

  it.scopedLive("a 429 with Retry-After: 1, then 200, succeeds after waiting at least the second asked for", () =>
    Effect.gen(function* () {
      let answered = 0
      const server = yield* TestServer.make((_, response) => {
        answered += 1
        if (answered === 1)
          TestServer.json(response, 429, errorList("req-429", "rate_limit_exceeded", "slow down"), {
            "retry-after": "1"
          })
        else TestServer.json(response, 200, admin)
      })
      const started = Date.now()
      const me = yield* withClient(server.url, {}, (client) =>
        client.request({ method: "GET", path: "/me", response: Admin })
      )
      const elapsed = Date.now() - started
      assert.deepStrictEqual(me, admin)
      assert.deepStrictEqual(server.statuses, [429, 200])
      // The wait is at least what the server asked for; no upper bound, which a loaded machine would break.
      assert.isAtLeast(elapsed, 950)
      yield* Effect.log(`429 → 200 after ${elapsed} ms`)
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 9. Response metadata from real headers
// ---------------------------------------------------------------------------------------------------------------

describe("response metadata", () => {
  it.scopedLive("requestWithMeta and lastResponse give X-Request-Id and the rate-limit window", () =>
    Effect.gen(function* () {
      const reset = Math.floor(Date.now() / 1000) + 10
      let answered = 0
      const server = yield* TestServer.make((_, response) => {
        answered += 1
        TestServer.json(response, 200, admin, {
          "x-request-id": `req-${answered}`,
          "x-ratelimit-limit": "166",
          "x-ratelimit-remaining": String(166 - answered),
          "x-ratelimit-reset": String(reset)
        })
      })
      const result = yield* withClient(server.url, {}, (client) =>
        Effect.gen(function* () {
          const before = yield* client.lastResponse
          const first = yield* client.requestWithMeta({ method: "GET", path: "/me", response: Admin })
          yield* client.request({ method: "GET", path: "/me", response: Admin })
          return { before, first, last: yield* client.lastResponse, window: yield* client.rateLimit }
        })
      )
      assert.isTrue(Option.isNone(result.before))
      assert.deepStrictEqual(result.first.value, admin)
      assert.strictEqual(result.first.meta.requestId, "req-1")
      assert.strictEqual(result.first.meta.status, 200)
      assert.strictEqual(result.first.meta.method, "GET")
      assert.strictEqual(result.first.meta.path, "/me")
      assert.deepStrictEqual(
        result.first.meta.rateLimit,
        Option.some({ limit: 166, remaining: 165, resetAtMillis: reset * 1000 })
      )
      assert.deepStrictEqual(
        Option.map(result.last, (m) => m.requestId),
        Option.some("req-2")
      )
      assert.deepStrictEqual(result.window, Option.some({ limit: 166, remaining: 164, resetAtMillis: reset * 1000 }))
    })
  )

  it.scopedLive("lastResponse also reports a failed call's request id", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) =>
        TestServer.json(response, 404, errorList("req-body", "not_found", "gone"), { "x-request-id": "req-404" })
      )
      const last = yield* withClient(server.url, noRetry, (client) =>
        Effect.flatMap(
          Effect.flip(client.request({ method: "GET", path: "/contacts/1", response: Admin })),
          () => client.lastResponse
        )
      )
      assert.deepStrictEqual(
        Option.map(last, (m) => [m.status, m.requestId] as const),
        Option.some([404, "req-404"] as const)
      )
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// 10. The token never ends up in an error, even when a server echoes it back
// ---------------------------------------------------------------------------------------------------------------

describe("the token never leaks into errors", () => {
  const echo = (request: TestServer.Received) => str(request.headers["authorization"]) ?? ""

  it.scopedLive("a 502 page echoing the Authorization header → ServerError without the token", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((request, response) => {
        response.writeHead(502, { "content-type": "text/html" })
        response.end(`<html>bad gateway for ${echo(request)}</html>`)
      })
      const error = yield* failsWith("ServerError", getMeOnce(server.url))
      assert.include(error.body, "[redacted]")
    })
  )

  it.scopedLive("a 200 non-JSON body echoing the token → IncompleteResponse without the token", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((request, response) => {
        response.writeHead(200, { "content-type": "text/plain" })
        response.end(`you sent ${echo(request)}`)
      })
      const error = yield* failsWith("IncompleteResponse", getMeOnce(server.url))
      assert.include(error.body, "[redacted]")
    })
  )

  it.scopedLive("a 401 error list whose message echoes the token → Unauthorized without the token", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((request, response) =>
        TestServer.json(
          response,
          401,
          errorList("req-401", "token_unauthorized", `Access Token Invalid: ${echo(request)}`, "authorization")
        )
      )
      const error = yield* failsWith("Unauthorized", getMeOnce(server.url))
      assert.strictEqual(error.errors[0]?.code, "token_unauthorized")
    })
  )

  it.scopedLive("a 200 JSON whose mismatched field echoes the token → DecodeError without the token", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((request, response) =>
        TestServer.json(response, 200, { type: "admin", id: "991", email: { echoed: echo(request) } })
      )
      const error = yield* failsWith("DecodeError", getMeOnce(server.url))
      assert.deepStrictEqual(error.fieldPath, ["email"])
      // The kept body is the scrubbed one: the echo is there, the token is not.
      assert.isFalse(JSON.stringify(error.json).includes(token), "the token is in the kept body")
      assert.include(JSON.stringify(error.json), "[redacted]")
    })
  )
})
