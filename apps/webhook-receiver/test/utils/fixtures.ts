/**
 * Notifications for the receiver's tests, made up here, created "now" (the receiver ignores notifications older than
 * its replay window) and signed with the test secret.
 */
import { Signature } from "@intercom-effect/webhooks"
import { Redacted } from "effect"
import accessToken from "./access-token.json" with { type: "json" }
import clientSecret from "./secret.json" with { type: "json" }

/** The root test command scans all output for both values: a leak fails the run. */
export const secretText: string = clientSecret.token
export const tokenText: string = accessToken.token

type Author = "user" | "lead" | "admin" | "bot"

const part = (id: string, author: Author, body: string) => ({
  type: "conversation_part",
  id,
  part_type: "comment",
  body,
  created_at: 1_760_000_000,
  author: { type: author, id: `${author}-1`, name: null, email: null },
  attachments: []
})

/** A conversation whose latest parts are `replies` (author and HTML body), opened by a user saying `opening`. */
export const conversation = (id: string, opening: string, replies: ReadonlyArray<readonly [Author, string]> = []) => ({
  type: "conversation",
  id,
  created_at: 1_760_000_000,
  updated_at: 1_760_000_100,
  state: "open",
  open: true,
  source: {
    type: "conversation",
    id: `src-${id}`,
    delivered_as: "customer_initiated",
    body: opening,
    author: { type: "user", id: "user-1", name: "Kim Example", email: "kim@example.test" }
  },
  conversation_parts: {
    type: "conversation_part.list",
    conversation_parts: replies.map(([author, body], i) => part(`${id}-${i}`, author, body)),
    total_count: replies.length
  }
})

let sequence = 0

export const notification = (topic: string, item: unknown, createdAt = Math.floor(Date.now() / 1000)) => ({
  type: "notification_event",
  id: `notif_rcv-${++sequence}`,
  topic,
  app_id: "wkspc9",
  created_at: createdAt,
  delivery_attempts: 1,
  first_sent_at: createdAt,
  data: { type: "notification_event_data", item }
})

/** The raw body and the headers Intercom would send with it, signed with `key`. */
export const delivery = (value: unknown, key: string = secretText) => {
  const body = JSON.stringify(value)
  return {
    body,
    headers: { "content-type": "application/json", "x-hub-signature": Signature.sign(Redacted.make(key), body) }
  }
}
