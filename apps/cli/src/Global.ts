/**
 * Options every command takes, and the layer they build: the token from `--token` or `INTERCOM_ACCESS_TOKEN`, the
 * region from `--region` or `INTERCOM_REGION`, an explicit `--base-url` or `INTERCOM_BASE_URL`. The token is read
 * as `Redacted` and never printed, not even in `--help` or in an error.
 */
import { Command, Options } from "@effect/cli"
import { NodeHttpClient } from "@effect/platform-node"
import type { IntercomConfig } from "@intercom-effect/http"
import { Intercom } from "@intercom-effect/services"
import { Config, Effect, Layer, Option, type Redacted } from "effect"
import type { Format } from "./Output.js"

/** The options of the root command. */
export const options = {
  token: Options.redacted("token").pipe(
    Options.withDescription("access token (default: INTERCOM_ACCESS_TOKEN)"),
    Options.optional
  ),
  region: Options.choice("region", ["us", "eu", "au"]).pipe(
    Options.withDescription("the workspace's region (default: INTERCOM_REGION, else us)"),
    Options.optional
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("an explicit API base URL (default: INTERCOM_BASE_URL)"),
    Options.optional
  ),
  format: Options.choice("format", ["table", "json"]).pipe(Options.withDefault("table" as Format))
}

/** What the root command parsed. */
export interface Parsed {
  readonly token: Option.Option<Redacted.Redacted>
  readonly region: Option.Option<"us" | "eu" | "au">
  readonly baseUrl: Option.Option<string>
  readonly format: Format
}

/** The root command, `intercom`; subcommands read its options by yielding it. */
export const root = Command.make("intercom", options)

/** Runs `body` with the root command's options and the services they configure. */
export const withRoot = <A, E, R>(body: (root: Parsed) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(root, (parsed) => Effect.provide(body(parsed), layer(parsed)))

/** All services over one client, configured from the flags first and the environment second. */
export const layer = (parsed: Parsed) => {
  const config: IntercomConfig.ConfigOptions = {
    accessToken: Option.match(parsed.token, {
      onNone: () => Config.redacted("INTERCOM_ACCESS_TOKEN"),
      onSome: (token) => Config.succeed(token)
    }),
    ...Option.match(parsed.region, { onNone: () => ({}), onSome: (region) => ({ region }) }),
    ...Option.match(parsed.baseUrl, { onNone: () => ({}), onSome: (baseUrl) => ({ baseUrl }) })
  }
  return Intercom.layerConfig(config).pipe(Layer.provide(NodeHttpClient.layerUndici))
}
