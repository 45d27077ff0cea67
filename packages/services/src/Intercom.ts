/**
 * Every service over one `IntercomClient`, so all calls share one rate-limit gate, one retry policy and one
 * connection pool. This is the layer an application provides; tests swap single services with `Layer.succeed`.
 *
 * @example
 * ```ts
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
 * import { Contacts, Intercom } from "@intercom-effect/services"
 * import { Effect, Layer, Stream } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const contacts = yield* Contacts.Contacts
 *   const count = yield* Stream.runCount(contacts.list({ per_page: 150 }).items)
 *   yield* Effect.log(`${count} contacts`)
 * })
 *
 * program.pipe(Effect.provide(Intercom.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))), NodeRuntime.runMain)
 * ```
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { IntercomClient, type IntercomConfig } from "@intercom-effect/http"
import { type ConfigError, Layer } from "effect"
import * as Admins from "./Admins.js"
import * as Articles from "./Articles.js"
import * as Companies from "./Companies.js"
import * as Contacts from "./Contacts.js"
import * as Conversations from "./Conversations.js"
import * as DataAttributes from "./DataAttributes.js"
import * as DataEvents from "./DataEvents.js"
import * as DataExport from "./DataExport.js"
import * as HelpCenter from "./HelpCenter.js"
import * as Messages from "./Messages.js"
import * as News from "./News.js"
import * as Notes from "./Notes.js"
import * as PhoneCallRedirects from "./PhoneCallRedirects.js"
import * as Segments from "./Segments.js"
import * as SubscriptionTypes from "./SubscriptionTypes.js"
import * as Tags from "./Tags.js"
import * as Teams from "./Teams.js"
import * as Tickets from "./Tickets.js"
import * as TicketTypeAttributes from "./TicketTypeAttributes.js"
import * as TicketTypes from "./TicketTypes.js"
import * as Visitors from "./Visitors.js"

/**
 * Every service tag the `Intercom` layers provide.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | Admins.Admins
  | Articles.Articles
  | HelpCenter.HelpCenter
  | Companies.Companies
  | Contacts.Contacts
  | Conversations.Conversations
  | DataAttributes.DataAttributes
  | DataEvents.DataEvents
  | DataExport.DataExport
  | Messages.Messages
  | News.News
  | Notes.Notes
  | Segments.Segments
  | SubscriptionTypes.SubscriptionTypes
  | PhoneCallRedirects.PhoneCallRedirects
  | Tags.Tags
  | Teams.Teams
  | TicketTypeAttributes.TicketTypeAttributes
  | TicketTypes.TicketTypes
  | Tickets.Tickets
  | Visitors.Visitors

/**
 * The 21 services over the `IntercomClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const services: Layer.Layer<Services, never, IntercomClient.IntercomClient> = Layer.mergeAll(
  Admins.layer,
  Articles.layer,
  HelpCenter.layer,
  Companies.layer,
  Contacts.layer,
  Conversations.layer,
  DataAttributes.layer,
  DataEvents.layer,
  DataExport.layer,
  Messages.layer,
  News.layer,
  Notes.layer,
  Segments.layer,
  SubscriptionTypes.layer,
  PhoneCallRedirects.layer,
  Tags.layer,
  Teams.layer,
  TicketTypeAttributes.layer,
  TicketTypes.layer,
  Tickets.layer,
  Visitors.layer
)

/**
 * All services and the one `IntercomClient` they share, from an `IntercomConfig` and an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Services | IntercomClient.IntercomClient,
  never,
  HttpClient.HttpClient | IntercomConfig.IntercomConfig
> = Layer.provideMerge(services, IntercomClient.layer)

/**
 * All services and their client, configured through `Config` (by default `INTERCOM_ACCESS_TOKEN`,
 * `INTERCOM_REGION`, `INTERCOM_BASE_URL`; see `IntercomConfig.layerConfig`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: IntercomConfig.ConfigOptions
): Layer.Layer<Services | IntercomClient.IntercomClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.provideMerge(services, IntercomClient.layerConfig(options))
