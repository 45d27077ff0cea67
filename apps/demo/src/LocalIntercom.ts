/**
 * A tiny stand-in for Intercom, served in the demo's own process on 127.0.0.1, so the demo runs on a fresh machine
 * without a token. It answers GET /me like Intercom does (auth and version checks, rate-limit headers, a request
 * id). A fuller stateful mock comes with @intercom-effect/mock-server.
 */
import { HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"

/** The token the demo uses against the stand-in; it is not a real credential. */
export const demoToken = "demo-token-for-the-local-stand-in"

const unauthorized = HttpServerResponse.unsafeJson(
  { type: "error.list", request_id: "local-0001", errors: [{ code: "unauthorized", message: "Access Token Invalid" }] },
  { status: 401 }
)

let requestCount = 0

const me = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  if (request.headers["authorization"] !== `Bearer ${demoToken}`) return unauthorized
  if (request.headers["intercom-version"] !== "2.10") {
    return HttpServerResponse.unsafeJson(
      {
        type: "error.list",
        request_id: "local-0002",
        errors: [{ code: "intercom_version_invalid", message: "Unsupported version" }]
      },
      { status: 400 }
    )
  }
  requestCount += 1
  const resetAt = Math.floor(Date.now() / 10_000) * 10 + 10
  return HttpServerResponse.unsafeJson(
    {
      type: "admin",
      id: "1001",
      name: "Demo Admin",
      email: "demo.admin@example.com",
      email_verified: true,
      away_mode_enabled: false,
      away_mode_reassign: false,
      has_inbox_seat: true,
      team_ids: [],
      avatar: { type: "avatar", image_url: null },
      app: {
        type: "app",
        id_code: "demo1234",
        name: "Local Demo Workspace",
        region: "US",
        timezone: "Europe/Dublin",
        created_at: 1_700_000_000,
        identity_verification: false
      },
      unknown_future_field: "ignored by the tolerant decoder"
    },
    {
      headers: {
        "x-request-id": `local-${String(requestCount).padStart(4, "0")}`,
        "x-ratelimit-limit": "166",
        "x-ratelimit-remaining": String(166 - requestCount),
        "x-ratelimit-reset": String(resetAt)
      }
    }
  )
})

const router = HttpRouter.empty.pipe(HttpRouter.get("/me", me))

/** Serves the stand-in on a free port of 127.0.0.1 for the life of the layer. */
export const layer = HttpServer.serve(router).pipe(
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
)

/** The base URL the stand-in listens on. */
export const baseUrl = HttpServer.addressWith((address) =>
  Effect.succeed(address._tag === "TcpAddress" ? `http://${address.hostname}:${address.port}` : "http://127.0.0.1")
)
