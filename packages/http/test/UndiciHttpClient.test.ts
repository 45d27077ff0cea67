/**
 * UndiciHttpClient over real sockets on 127.0.0.1: what goes over the wire both ways, how failures are typed, that
 * interruption and an unread body free the socket, keep-alive, and the IntercomClient over it. The basic cases run
 * twice: on the lean path (tracing off for the request, as under IntercomClient) and on the traced one (through
 * `HttpClient.make`).
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { createRequire } from "node:module"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { assert, describe, it } from "@effect/vitest"
import { HttpBody, HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import { Chunk, Effect, Fiber, Layer, type Scope, Stream } from "effect"
import { freePort } from "@intercom-effect/testing/Ports"
import { IntercomClient, IntercomConfig, UndiciHttpClient } from "../src/index.js"
import { Admin, admin, realSleep, str, waitUntil } from "./utils/client.js"
import { token } from "./utils/fake.js"
import * as TestServer from "./utils/TestServer.js"

type Path = "lean" | "traced"

/** The client under test, on one path: tracing switched off for every request is what sends it the lean way. */
const client = (path: Path) =>
  Effect.map(HttpClient.HttpClient, (http) =>
    path === "lean" ? HttpClient.withTracerDisabledWhen(http, () => true) : http
  )

/** Runs `f` with the client of `UndiciHttpClient.layer` (its own Agent, destroyed when `f` ends). */
const using = <A, E>(path: Path, f: (http: HttpClient.HttpClient) => Effect.Effect<A, E, Scope.Scope>) =>
  Effect.flatMap(client(path), f).pipe(Effect.scoped, Effect.provide(UndiciHttpClient.layer))

const text = (value: string) => new TextEncoder().encode(value)
const decode = (bytes: ArrayBuffer | Uint8Array) => new TextDecoder().decode(bytes)

/** Asserts `effect` fails with a `RequestError` or a `ResponseError` of `reason`, and returns it. */
const failsWith = <A, R>(
  tag: "RequestError" | "ResponseError",
  reason: HttpClientError.HttpClientError["reason"],
  effect: Effect.Effect<A, HttpClientError.HttpClientError, R>
) =>
  Effect.gen(function* () {
    const error = yield* Effect.flip(effect)
    assert.strictEqual(error._tag, tag, error.message)
    assert.strictEqual(error.reason, reason, error.message)
    return error
  })

for (const path of ["lean", "traced"] as const) {
  describe(`over the wire (${path})`, () => {
    it.scopedLive("GET: method, URL with its query, headers both ways, status, JSON body", () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => {
          response.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"])
          response.setHeader("X-Request-Id", "req-1")
          TestServer.json(response, 201, { ok: true, items: [1, 2] })
        })
        const [status, headers, cookies, body] = yield* using(path, (http) =>
          Effect.gen(function* () {
            const response = yield* http.execute(
              HttpClientRequest.get(`${server.url}/contacts`, {
                urlParams: { per_page: 2, email: "a+b c@example.com", "tags[]": ["x&y", "z"] },
                headers: { "X-Custom": "yes", authorization: `Bearer ${token}` },
                hash: "fragment"
              })
            )
            return [response.status, response.headers, response.cookies, yield* response.json] as const
          })
        )
        const received = server.received[0]
        assert.strictEqual(received?.method, "GET")
        assert.strictEqual(
          received?.url,
          "/contacts?per_page=2&email=a%2Bb+c%40example.com&tags%5B%5D=x%26y&tags%5B%5D=z"
        )
        assert.strictEqual(str(received?.headers["x-custom"]), "yes")
        assert.strictEqual(str(received?.headers.authorization), `Bearer ${token}`)
        assert.strictEqual(status, 201)
        assert.strictEqual(headers["x-request-id"], "req-1")
        assert.strictEqual(headers["content-type"], "application/json")
        assert.deepStrictEqual(
          Object.keys(headers).filter((name) => name !== name.toLowerCase()),
          []
        )
        assert.deepStrictEqual([cookies.cookies["a"]?.value, cookies.cookies["b"]?.value], ["1", "2"])
        assert.deepStrictEqual(body, { ok: true, items: [1, 2] })
      })
    )

    it.scopedLive("POST bodies: text, raw string, bytes, JSON, form data, a stream, and none", () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((request, response) =>
          TestServer.json(response, 200, { got: request.body })
        )
        const form = new FormData()
        form.append("name", "vip ✓")
        const bodies = [
          HttpBody.text("plain ✓", "text/plain"),
          HttpBody.raw("raw body", { contentType: "text/x-raw" }),
          HttpBody.uint8Array(new Uint8Array([104, 105]), "application/octet-stream"),
          HttpBody.unsafeJson({ name: "new" }),
          HttpBody.formData(form),
          HttpBody.stream(Stream.make(text("chunk-1,"), text("chunk-2")), "text/plain"),
          HttpBody.empty
        ]
        const answers = yield* using(path, (http) =>
          Effect.forEach(bodies, (body) =>
            Effect.flatMap(
              http.execute(HttpClientRequest.post(`${server.url}/echo`).pipe(HttpClientRequest.setBody(body))),
              (response) => response.json
            )
          )
        )
        const got = server.received.map((request) => request.body)
        assert.deepStrictEqual(got.slice(0, 4), ["plain ✓", "raw body", "hi", '{"name":"new"}'])
        assert.include(got[4], 'name="name"')
        assert.include(got[4], "vip ✓")
        assert.match(str(server.received[4]?.headers["content-type"]) ?? "", /^multipart\/form-data; boundary=/)
        assert.strictEqual(got[5], "chunk-1,chunk-2")
        assert.strictEqual(got[6], "")
        assert.deepStrictEqual(
          server.received.slice(0, 4).map((request) => str(request.headers["content-type"])),
          ["text/plain", "text/x-raw", "application/octet-stream", "application/json"]
        )
        assert.deepStrictEqual(
          server.received.map((request) => request.method),
          bodies.map(() => "POST")
        )
        assert.deepStrictEqual(
          answers.map((answer) => (answer as { got: string }).got),
          got
        )
      })
    )

    it.scopedLive("an error status is a response, not a failure: its body reads as text, twice", () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((request, response) => {
          response.writeHead(request.url === "/gone" ? 404 : 503, { "content-type": "text/plain" })
          response.end(`no ${request.url}`)
        })
        const [gone, busy] = yield* using(path, (http) =>
          Effect.forEach(["/gone", "/busy"], (at) =>
            Effect.gen(function* () {
              const response = yield* http.get(`${server.url}${at}`)
              return [response.status, yield* response.text, yield* response.text] as const
            })
          )
        )
        assert.deepStrictEqual(gone, [404, "no /gone", "no /gone"])
        assert.deepStrictEqual(busy, [503, "no /busy", "no /busy"])
      })
    )
  })
}

describe("response bodies", () => {
  it.scopedLive("a streamed response arrives in order, chunk by chunk", () =>
    Effect.gen(function* () {
      const parts = Array.from({ length: 40 }, (_, i) => `part-${i};`)
      const server = yield* TestServer.make(async (_, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" })
        for (const part of parts) {
          response.write(part)
          await new Promise((resolve) => setImmediate(resolve))
        }
        response.end()
      })
      const chunks = yield* using("lean", (http) =>
        Effect.flatMap(http.get(`${server.url}/download`), (response) => Stream.runCollect(response.stream))
      )
      assert.strictEqual(Chunk.join(Chunk.map(chunks, decode), ""), parts.join(""))
      assert.isAbove(Chunk.size(chunks), 1)
      assert.isTrue(server.received[0]?.finished)
    })
  )

  it.scopedLive("bytes, URL-encoded and multipart form data, an empty JSON body", () =>
    Effect.gen(function* () {
      const form = new FormData()
      form.append("field", "value ✓")
      const multipart = new Response(form)
      const multipartType = multipart.headers.get("content-type") ?? ""
      const multipartBody = Buffer.from(yield* Effect.promise(() => multipart.arrayBuffer()))
      const server = yield* TestServer.make((request, response) => {
        if (request.url === "/bytes") {
          response.writeHead(200, { "content-type": "application/octet-stream" })
          response.end(Buffer.from([0, 1, 254, 255]))
        } else if (request.url === "/urlencoded") {
          response.writeHead(200, { "content-type": "application/x-www-form-urlencoded" })
          response.end("a=1&b=two+words")
        } else if (request.url === "/multipart") {
          response.writeHead(200, { "content-type": multipartType })
          response.end(multipartBody)
        } else {
          response.writeHead(200)
          response.end()
        }
      })
      const [bytes, params, urlencoded, multipartRead, empty] = yield* using("lean", (http) =>
        Effect.all([
          Effect.flatMap(http.get(`${server.url}/bytes`), (response) => response.arrayBuffer),
          Effect.flatMap(http.get(`${server.url}/urlencoded`), (response) => response.urlParamsBody),
          Effect.flatMap(http.get(`${server.url}/urlencoded`), (response) => response.formData),
          Effect.flatMap(http.get(`${server.url}/multipart`), (response) => response.formData),
          Effect.flatMap(http.get(`${server.url}/empty`), (response) => response.json)
        ])
      )
      assert.deepStrictEqual([...new Uint8Array(bytes)], [0, 1, 254, 255])
      assert.deepStrictEqual(params, [
        ["a", "1"],
        ["b", "two words"]
      ])
      assert.strictEqual(urlencoded.get("b"), "two words")
      assert.strictEqual(multipartRead.get("field"), "value ✓")
      assert.isNull(empty)
    })
  )

  it.scopedLive("a body that is not JSON → ResponseError (Decode), with the response", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end("<html>not json</html>")
      })
      const error = yield* using("lean", (http) =>
        failsWith(
          "ResponseError",
          "Decode",
          Effect.flatMap(http.get(`${server.url}/me`), (response) => response.json)
        )
      )
      assert.strictEqual(error._tag === "ResponseError" ? error.response.status : 0, 200)
    })
  )

  for (const path of ["lean", "traced"] as const) {
    it.scopedLive(
      `a server that cuts the body mid-way → ResponseError (Decode), as text and as a stream (${path})`,
      () =>
        Effect.gen(function* () {
          const server = yield* TestServer.make((_, response) => {
            response.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
            response.write('{"partial":')
            setImmediate(() => response.socket?.destroy())
          })
          yield* using(path, (http) =>
            Effect.gen(function* () {
              yield* failsWith(
                "ResponseError",
                "Decode",
                Effect.flatMap(http.get(`${server.url}/me`), (response) => response.text)
              )
              yield* failsWith(
                "ResponseError",
                "Decode",
                Effect.flatMap(http.get(`${server.url}/me`), (response) => Stream.runDrain(response.stream))
              )
            })
          )
        })
    )
  }
})

describe("request failures", () => {
  it.live("a refused connection → RequestError (Transport)", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      for (const path of ["lean", "traced"] as const) {
        const error = yield* using(path, (http) =>
          failsWith("RequestError", "Transport", http.get(`http://127.0.0.1:${port}/me`))
        )
        assert.include(String(error.cause), "ECONNREFUSED")
      }
    })
  )

  it.live("a URL that does not parse → RequestError (InvalidUrl), nothing sent", () =>
    Effect.gen(function* () {
      for (const path of ["lean", "traced"] as const) {
        yield* using(path, (http) => failsWith("RequestError", "InvalidUrl", http.get("not a url")))
      }
    })
  )

  it.scopedLive(
    "a URL that is not plain is normalised the way URL does it, a plain one keeps its query; no fragment sent",
    () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, {}))
        yield* using("lean", (http) =>
          Effect.all([
            http.get(`${server.url}/tags/a b/é`, { urlParams: { q: "1" } }),
            http.get(`${server.url}/a/./b/../c?x=1#top`, { urlParams: { y: "2" } }),
            http.get(`${server.url}?only=query`),
            http.get(server.url),
            http.get(`${server.url}/plain?x=1`, { urlParams: { y: "a b" } })
          ])
        )
        assert.deepStrictEqual(
          server.received.map((request) => request.url),
          ["/tags/a%20b/%C3%A9?q=1", "/a/c?x=1&y=2", "/?only=query", "/", "/plain?x=1&y=a+b"]
        )
      })
  )
})

describe("tracing", () => {
  it.scopedLive("a traced request carries the trace context; a lean one does not", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) => TestServer.json(response, 200, {}))
      for (const path of ["traced", "lean"] as const) {
        yield* using(path, (http) => Effect.withSpan(http.get(`${server.url}/${path}`), "parent"))
      }
      const traced = Object.keys(server.received[0]?.headers ?? {})
      const lean = Object.keys(server.received[1]?.headers ?? {})
      assert.isTrue(traced.includes("traceparent") || traced.includes("b3"), traced.join(", "))
      assert.isFalse(lean.includes("traceparent") || lean.includes("b3"), lean.join(", "))
    })
  )
})

describe("sockets", () => {
  for (const path of ["lean", "traced"] as const) {
    it.scopedLive(`interrupting a request before its answer closes the socket (${path})`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make(() => {
          // Never answer.
        })
        yield* using(path, (http) =>
          Effect.gen(function* () {
            const fiber = yield* Effect.fork(http.get(`${server.url}/me`))
            yield* waitUntil("the server received the request", () => server.received.length === 1)
            assert.isFalse(server.received[0]?.aborted)
            yield* Fiber.interrupt(fiber)
            yield* waitUntil("the server saw the socket close", () => server.received[0]?.aborted === true)
          })
        )
        assert.strictEqual(server.received.length, 1)
      })
    )

    it.scopedLive(`interrupting a body read mid-way closes the socket (${path})`, () =>
      Effect.gen(function* () {
        const server = yield* TestServer.make((_, response) => {
          response.writeHead(200, { "content-type": "text/plain" })
          response.write("the first half, and never the rest")
        })
        yield* using(path, (http) =>
          Effect.gen(function* () {
            const response = yield* http.get(`${server.url}/slow`)
            const fiber = yield* Effect.fork(response.text)
            yield* realSleep(20)
            assert.isFalse(server.received[0]?.aborted)
            yield* Fiber.interrupt(fiber)
            yield* waitUntil("the server saw the socket close", () => server.received[0]?.aborted === true)
          })
        )
      })
    )
  }

  it.scopedLive("ending a response stream early closes the socket", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.make((_, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" })
        response.write(Buffer.alloc(1024, "a"))
      })
      yield* using("lean", (http) =>
        Effect.gen(function* () {
          const response = yield* http.get(`${server.url}/download`)
          const got = yield* Stream.runCollect(Stream.take(response.stream, 1))
          assert.strictEqual(Chunk.size(got), 1)
          // Still inside the layer: the socket closes because the stream ended, not because the Agent did.
          yield* waitUntil("the server saw the socket close", () => server.received[0]?.aborted === true)
        })
      )
    })
  )

  it.scopedLive("keep-alive: sequential requests share one socket, and the layer's release closes it", () =>
    Effect.gen(function* () {
      const connections = yield* countingServer((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end("{}")
      })
      yield* Effect.gen(function* () {
        const http = yield* client("lean")
        for (let i = 0; i < 5; i++) {
          yield* Effect.flatMap(http.get(`${connections.url}/me`), (response) => response.json)
        }
        // undici may open a second socket for the request that follows a response at once (as under layerUndici),
        // but not one per request.
        assert.isAtMost(connections.opened, 2)
        assert.isAtLeast(connections.open, 1)
      }).pipe(Effect.scoped, Effect.provide(UndiciHttpClient.layer))
      yield* waitUntil("the server saw the socket close", () => connections.open === 0)
    })
  )

  it.scopedLive("a large body nobody reads is destroyed once its response is collected", () =>
    Effect.gen(function* () {
      // A body that never ends: its socket closes only when the client destroys the body.
      const connections = yield* countingServer((_, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" })
        const chunk = Buffer.alloc(64 * 1024, "x")
        const write = () => {
          while (!response.destroyed && response.write(chunk));
        }
        response.on("drain", write)
        write()
      })
      const agentStays = yield* Layer.build(UndiciHttpClient.layer)
      const http = HttpClient.withTracerDisabledWhen(
        yield* Effect.provide(HttpClient.HttpClient, agentStays),
        () => true
      )
      // The response is dropped at once: only its status leaves this effect.
      const status = yield* Effect.map(http.get(`${connections.url}/big`), (response) => response.status)
      assert.strictEqual(status, 200)
      assert.strictEqual(connections.open, 1)
      yield* waitUntil(
        "the unread body was destroyed and its socket closed",
        () => {
          gc()
          return connections.open === 0
        },
        10_000
      )
    })
  )
})

describe("under IntercomClient", () => {
  it.scopedLive("a typical call: headers sent, JSON decoded, retried after a 503", () =>
    Effect.gen(function* () {
      let calls = 0
      const server = yield* TestServer.make((_, response) => {
        calls += 1
        if (calls === 1) TestServer.json(response, 503, { type: "error.list", errors: [] })
        else TestServer.json(response, 200, admin, { "x-request-id": "req-42" })
      })
      const layer = IntercomClient.layer.pipe(
        Layer.provide(
          Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl: server.url, retry: { jitter: 0 } }))
        ),
        Layer.provide(UndiciHttpClient.layer)
      )
      const { meta, value: me } = yield* Effect.flatMap(IntercomClient.IntercomClient, (intercom) =>
        intercom.requestWithMeta({ method: "GET", path: "/me", urlParams: { q: "1" }, response: Admin })
      ).pipe(Effect.provide(layer))
      assert.deepStrictEqual(me, admin)
      assert.strictEqual(meta.requestId, "req-42")
      assert.deepStrictEqual(server.statuses, [503, 200])
      assert.deepStrictEqual(
        server.received.map((request) => request.url),
        ["/me?q=1", "/me?q=1"]
      )
      assert.strictEqual(str(server.received[1]?.headers.authorization), `Bearer ${token}`)
      // IntercomClient opens its own span and switches the platform's off: the lean path, no trace headers.
      assert.isUndefined(server.received[1]?.headers.traceparent)
    })
  )
})

it("is reachable under its own path", () => {
  assert.match(
    createRequire(import.meta.url).resolve("@intercom-effect/http/UndiciHttpClient"),
    /\/src\/UndiciHttpClient\.ts$/
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

/** The collector, reached without starting Node with --expose-gc (the flag only takes effect in a new context). */
setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

interface Connections {
  readonly url: string
  /** Sockets accepted so far. */
  opened: number
  /** Sockets still open. */
  open: number
}

/** A server on 127.0.0.1 that counts its sockets (TestServer tells requests apart, not connections). */
const countingServer = (handler: Http.RequestListener): Effect.Effect<Connections, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; connections: Connections }>((resume) => {
      const connections = { url: "", opened: 0, open: 0 }
      const server = Http.createServer(handler)
      server.on("connection", (socket) => {
        connections.opened += 1
        connections.open += 1
        socket.on("close", () => (connections.open -= 1))
      })
      server.listen(0, "127.0.0.1", () => {
        connections.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        resume(Effect.succeed({ server, connections }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ connections }) => connections))
