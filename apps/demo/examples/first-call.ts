/**
 * The README's first example, kept here so the typechecker sees it. Run it against real Intercom with
 * `INTERCOM_ACCESS_TOKEN=… pnpm --filter @intercom-effect/demo exec tsx examples/first-call.ts`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { IntercomClient } from "@intercom-effect/http"
import { AdminWithApp } from "@intercom-effect/schemas"
import { Effect, Layer } from "effect"

const program = Effect.gen(function* () {
  const intercom = yield* IntercomClient.IntercomClient
  const me = yield* intercom.request({ method: "GET", path: "/me", response: AdminWithApp })
  yield* Effect.log(`this token belongs to ${me.email}`)
}).pipe(Effect.catchTag("Unauthorized", (error) => Effect.logError(error.message)))

// INTERCOM_ACCESS_TOKEN (read as Redacted), INTERCOM_REGION (us | eu | au), INTERCOM_BASE_URL (optional).
const IntercomLive = IntercomClient.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))

program.pipe(Effect.provide(IntercomLive), NodeRuntime.runMain)
