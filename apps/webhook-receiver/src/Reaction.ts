/**
 * What the receiver does with a notification: when a user's message in a conversation (the one that opened it, or a
 * reply) mentions the keyword, it tags the conversation through `Conversations.attachTag`. Everything else is left
 * alone.
 */
import type { IntercomError } from "@intercom-effect/http"
import type { Conversation } from "@intercom-effect/schemas"
import { Conversations } from "@intercom-effect/services"
import type { Notification } from "@intercom-effect/webhooks"
import { Effect } from "effect"
import { ReceiverConfig } from "./ReceiverConfig.js"

/** What a notification led to. */
export type Outcome =
  | { readonly _tag: "Tagged"; readonly conversationId: string; readonly tagId: string }
  | { readonly _tag: "NoKeyword"; readonly conversationId: string }
  | { readonly _tag: "NotReactedTo"; readonly topic: string }

// Message authors on the customer's side; admins, bots and teams are not.
const customerAuthors: ReadonlySet<string> = new Set(["user", "lead", "contact"])

const entities: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " }

/** The text of an HTML message body: tags removed, the common entities decoded. */
export const textOf = (html: string): string =>
  html.replace(/<[^>]*>/g, " ").replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)))
    return entities[name.toLowerCase()] ?? whole
  })

/**
 * The customer's messages a notification carries: for a new conversation its opening message, for a reply the
 * parts a user, lead or contact wrote (a conversation in a notification carries its latest parts).
 */
export const customerMessages = (topic: string, conversation: Conversation): ReadonlyArray<string> => {
  const parts = (conversation.conversation_parts?.conversation_parts ?? [])
    .filter((part) => customerAuthors.has(part.author?.type ?? ""))
    .map((part) => part.body ?? "")
  const opening =
    topic === "conversation.user.created" && customerAuthors.has(conversation.source?.author?.type ?? "user")
      ? [conversation.source?.body ?? ""]
      : []
  return [...opening, ...parts].filter((body) => body.length > 0)
}

/** Whether any of the messages mentions the keyword, ignoring case. */
export const mentions = (messages: ReadonlyArray<string>, keyword: string): boolean => {
  const needle = keyword.toLowerCase()
  return messages.some((message) => textOf(message).toLowerCase().includes(needle))
}

/** Reacts to one notification. Fails only when the call to Intercom does. */
export const react = (
  notification: Notification.Notification
): Effect.Effect<Outcome, IntercomError.IntercomError, ReceiverConfig | Conversations.Conversations> => {
  if (notification._tag !== "conversation.user.created" && notification._tag !== "conversation.user.replied") {
    return Effect.succeed({ _tag: "NotReactedTo", topic: notification.topic })
  }
  const conversation = notification.data.item
  return Effect.gen(function* () {
    const config = yield* ReceiverConfig
    if (!mentions(customerMessages(notification.topic, conversation), config.keyword)) {
      return { _tag: "NoKeyword", conversationId: conversation.id } satisfies Outcome
    }
    const conversations = yield* Conversations.Conversations
    yield* conversations.attachTag(conversation.id, { id: config.tagId, admin_id: config.adminId })
    return { _tag: "Tagged", conversationId: conversation.id, tagId: config.tagId } satisfies Outcome
  }).pipe(
    Effect.withSpan("Reaction.react", {
      attributes: { "intercom.webhook.id": notification.id, "intercom.conversation.id": conversation.id }
    })
  )
}
