/**
 * Options every command takes, and the layer they build: the token from `--token` or `INTERCOM_ACCESS_TOKEN`, the
 * region from `--region` or `INTERCOM_REGION`, an explicit `--base-url` or `INTERCOM_BASE_URL`. The token is read
 * as `Redacted` and never printed, not even in `--help` or in an error.
 */
import { Command, Options } from "@effect/cli"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { App, Flags, Retry } from "@intercom-effect/app-kit"
import type { IntercomConfig } from "@intercom-effect/http"
import { Intercom } from "@intercom-effect/services"
import { Config, Effect, Layer, Option, type Redacted } from "effect"
import type { Format } from "./Output.js"

/** The options of the root command. */
export const options = {
  token: Options.redacted("token").pipe(
    Options.withDescription("access token (default: INTERCOM_ACCESS_TOKEN); never printed"),
    Options.optional
  ),
  region: Flags.choice("region", ["us", "eu", "au"]).pipe(
    Options.withDescription("the workspace's region (default: INTERCOM_REGION, else us)"),
    Options.optional
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("an explicit API base URL, e.g. a mock (default: INTERCOM_BASE_URL)"),
    Options.optional
  ),
  format: Flags.choice("format", ["table", "json"]).pipe(
    Options.withDescription("a table, or JSON (one object per line for lists)"),
    Flags.withDefault<Format>("table")
  )
}

/** The environment variables these options stand for, for the messages about a missing or invalid setting. */
export const flags = {
  INTERCOM_ACCESS_TOKEN: "--token",
  INTERCOM_REGION: "--region",
  INTERCOM_BASE_URL: "--base-url"
}

/** What the root command parsed. */
export interface Parsed {
  readonly token: Option.Option<Redacted.Redacted>
  readonly region: Option.Option<"us" | "eu" | "au">
  readonly baseUrl: Option.Option<string>
  readonly format: Format
}

/** The root command, `intercom`; subcommands read its options by yielding it. */
export const root = Command.make("intercom", options).pipe(
  Command.withDescription("Contacts, conversations, companies and admins of an Intercom workspace.")
)

/** All services over one client, configured from the flags first and the environment second. */
export const layer = (parsed: Parsed, notice: (line: string) => Effect.Effect<void>) => {
  const config: IntercomConfig.ConfigOptions = {
    // Without --token, the client reads INTERCOM_ACCESS_TOKEN itself, so a bad value is said under that name.
    ...Option.match(parsed.token, { onNone: () => ({}), onSome: (token) => ({ accessToken: Config.succeed(token) }) }),
    ...Option.match(parsed.region, { onNone: () => ({}), onSome: (region) => ({ region }) }),
    ...Option.match(parsed.baseUrl, { onNone: () => ({}), onSome: (baseUrl) => ({ baseUrl }) }),
    retrySchedule: Retry.announcing(notice)
  }
  return Intercom.layerConfig(config).pipe(Layer.provide(NodeHttpClient.layerUndici))
}

/** Runs `body` with the root command's options and the services they configure. */
export const withRoot = <A, E, R>(body: (root: Parsed) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(root, (parsed) =>
    Effect.flatMap(App.App, (app) => Effect.provide(body(parsed), layer(parsed, app.notice)))
  )
