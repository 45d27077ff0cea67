/**
 * Every operation of the Intercom REST API 2.10 as typed Effect services, one per resource, all composed by
 * `Intercom.layer` over one `IntercomClient`.
 *
 * @since 0.1.0
 */

/**
 * Every service over one client.
 *
 * @since 0.1.0
 */
export * as Intercom from "./Intercom.js"

/**
 * The options and the `Paginator` of paged lists.
 *
 * @since 0.1.0
 */
export * as Paging from "./Paging.js"

/**
 * Typed custom attributes: an attributes schema read and written through `contacts.withAttributes(schema)` and
 * `companies.withAttributes(schema)`.
 *
 * @since 0.2.0
 */
export * as CustomAttributes from "./CustomAttributes.js"

/**
 * The Admins service.
 *
 * @since 0.1.0
 */
export * as Admins from "./Admins.js"

/**
 * The Articles service.
 *
 * @since 0.1.0
 */
export * as Articles from "./Articles.js"

/**
 * The HelpCenter service.
 *
 * @since 0.1.0
 */
export * as HelpCenter from "./HelpCenter.js"

/**
 * The Companies service.
 *
 * @since 0.1.0
 */
export * as Companies from "./Companies.js"

/**
 * The Contacts service.
 *
 * @since 0.1.0
 */
export * as Contacts from "./Contacts.js"

/**
 * The Conversations service.
 *
 * @since 0.1.0
 */
export * as Conversations from "./Conversations.js"

/**
 * The DataAttributes service.
 *
 * @since 0.1.0
 */
export * as DataAttributes from "./DataAttributes.js"

/**
 * The DataEvents service.
 *
 * @since 0.1.0
 */
export * as DataEvents from "./DataEvents.js"

/**
 * The DataExport service.
 *
 * @since 0.1.0
 */
export * as DataExport from "./DataExport.js"

/**
 * The Messages service.
 *
 * @since 0.1.0
 */
export * as Messages from "./Messages.js"

/**
 * The News service.
 *
 * @since 0.1.0
 */
export * as News from "./News.js"

/**
 * The Notes service.
 *
 * @since 0.1.0
 */
export * as Notes from "./Notes.js"

/**
 * The Segments service.
 *
 * @since 0.1.0
 */
export * as Segments from "./Segments.js"

/**
 * The SubscriptionTypes service.
 *
 * @since 0.1.0
 */
export * as SubscriptionTypes from "./SubscriptionTypes.js"

/**
 * The PhoneCallRedirects service.
 *
 * @since 0.1.0
 */
export * as PhoneCallRedirects from "./PhoneCallRedirects.js"

/**
 * The Tags service.
 *
 * @since 0.1.0
 */
export * as Tags from "./Tags.js"

/**
 * The Teams service.
 *
 * @since 0.1.0
 */
export * as Teams from "./Teams.js"

/**
 * The TicketTypeAttributes service.
 *
 * @since 0.1.0
 */
export * as TicketTypeAttributes from "./TicketTypeAttributes.js"

/**
 * The TicketTypes service.
 *
 * @since 0.1.0
 */
export * as TicketTypes from "./TicketTypes.js"

/**
 * The Tickets service.
 *
 * @since 0.1.0
 */
export * as Tickets from "./Tickets.js"

/**
 * The Visitors service.
 *
 * @since 0.1.0
 */
export * as Visitors from "./Visitors.js"
