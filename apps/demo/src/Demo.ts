/**
 * The demo's program and its two environments: real Intercom when INTERCOM_ACCESS_TOKEN is set, otherwise the
 * in-process stand-in. Kept apart from main.ts so a test can run the same program.
 */
import { IntercomClient, IntercomConfig, type IntercomError } from "@intercom-effect/http"
import { AdminWithApp } from "@intercom-effect/schemas"
import type { HttpServerError } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Config, type ConfigError, Console, Effect, Layer, Option } from "effect"
import * as LocalIntercom from "./LocalIntercom.js"

/** What the demo found out, returned so tests can check it. */
export interface Report {
  readonly target: "intercom" | "local"
  readonly admin: AdminWithApp
  readonly requestId: string | null
  readonly remaining: number | null
}

/** Calls GET /me and prints who the token belongs to, with the request id and the rate-limit budget left. */
export const program = (
  target: Report["target"]
): Effect.Effect<Report, IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Effect.gen(function* () {
    const client = yield* IntercomClient.IntercomClient
    const { value: admin, meta } = yield* client.requestWithMeta({ method: "GET", path: "/me", response: AdminWithApp })
    const remaining = Option.match(meta.rateLimit, { onNone: () => null, onSome: (w) => w.remaining })
    yield* Console.log(
      [
        `target:        ${target === "local" ? "local Intercom stand-in (set INTERCOM_ACCESS_TOKEN for the real API)" : "Intercom"}`,
        `admin:         ${admin.name ?? "(no name)"} <${admin.email ?? "no e-mail"}> id ${admin.id}`,
        `workspace:     ${admin.app?.name ?? "(unknown)"}`,
        `request id:    ${meta.requestId ?? "(none)"}`,
        `rate limit:    ${Option.match(meta.rateLimit, {
          onNone: () => "(not reported)",
          onSome: (w) => `${w.remaining}/${w.limit} left, resets ${new Date(w.resetAtMillis).toISOString()}`
        })}`
      ].join("\n")
    )
    return { target, admin, requestId: meta.requestId, remaining } satisfies Report
  })

/** The client against real Intercom, configured from INTERCOM_ACCESS_TOKEN / INTERCOM_REGION / INTERCOM_BASE_URL. */
export const intercomLayer = IntercomClient.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))

/** The client against the stand-in, which is started first and stopped with the layer. */
export const localLayer = Layer.unwrapEffect(
  Effect.map(LocalIntercom.baseUrl, (baseUrl) =>
    IntercomClient.layer.pipe(Layer.provide(IntercomConfig.layer({ accessToken: LocalIntercom.demoToken, baseUrl })))
  )
).pipe(Layer.provide(LocalIntercom.layer), Layer.provide(NodeHttpClient.layerUndici))

/** Runs against Intercom when a token is configured, else against the stand-in. */
export const main: Effect.Effect<
  Report,
  IntercomError.IntercomError | ConfigError.ConfigError | HttpServerError.ServeError
> = Effect.gen(function* () {
  const token = yield* Config.option(Config.redacted("INTERCOM_ACCESS_TOKEN"))
  return yield* Option.isSome(token)
    ? Effect.provide(program("intercom"), intercomLayer)
    : Effect.provide(program("local"), localLayer)
})
