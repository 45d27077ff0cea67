/**
 * The receiver composed from the environment: the HTTP server on `HOST`:`PORT`, the webhook secret
 * (`INTERCOM_CLIENT_SECRET`), the Intercom services (`INTERCOM_ACCESS_TOKEN`, and `INTERCOM_REGION` or
 * `INTERCOM_BASE_URL`) and the receiver's settings (`RECEIVER_*`, see ReceiverConfig). Kept apart from main.ts so a
 * test builds exactly this layer under its own `ConfigProvider`.
 */
import type { HttpServer, HttpServerError } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Intercom } from "@intercom-effect/services"
import { type ReplayGuard, Webhooks } from "@intercom-effect/webhooks"
import { Config, type ConfigError, Effect, Layer } from "effect"
import { createServer } from "node:http"
import * as Receiver from "./Receiver.js"
import * as ReceiverConfig from "./ReceiverConfig.js"

/** The Node HTTP server on `PORT` (default 3000; 0 picks a free one) and `HOST` (default 0.0.0.0). */
export const serverLayer = Layer.unwrapEffect(
  Effect.map(
    Config.all({
      // Not Config.port, which refuses 0.
      port: Config.integer("PORT").pipe(
        Config.validate({ message: "expected a port, 0 to 65535", validation: (n) => n >= 0 && n <= 65_535 }),
        Config.withDefault(3000)
      ),
      host: Config.string("HOST").pipe(Config.withDefault("0.0.0.0"))
    }),
    ({ host, port }) => NodeHttpServer.layer(createServer, { port, host })
  )
)

/** The whole receiver, configured from the environment. */
export const layer: Layer.Layer<
  Receiver.Reactions | ReplayGuard.ReplayGuard | HttpServer.HttpServer,
  ConfigError.ConfigError | HttpServerError.ServeError
> = Receiver.layer.pipe(
  Layer.provide(Webhooks.layerConfig()),
  Layer.provide(ReceiverConfig.layerConfig),
  Layer.provide(Intercom.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))),
  Layer.provideMerge(serverLayer)
)
