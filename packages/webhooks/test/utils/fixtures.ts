/**
 * Notifications written for these tests (field names follow Intercom's payloads; every value is made up), signed
 * with the test secret.
 */
import { Signature } from "../../src/index.js"
import { Redacted } from "effect"
import secretFile from "./secret.json" with { type: "json" }

/**
 * The client secret of the tests. The root test command scans all output for it: a leak fails the run. It holds
 * `/`, `+` and `=` so that its escaped forms differ from it.
 */
export const secretText: string = secretFile.token
export const secret = Redacted.make(secretText)

export const conversation = (id: string, options: { readonly userReply?: string; readonly opening?: string } = {}) => ({
  type: "conversation",
  id,
  state: "open",
  open: true,
  created_at: 1_733_000_000,
  updated_at: 1_733_000_300,
  // Sent as a numeric string; the schema declares a number.
  team_assignee_id: "5017",
  tags: { type: "tag.list", tags: [] },
  source: {
    type: "conversation",
    id: "90210",
    delivered_as: "customer_initiated",
    subject: "",
    body: `<p>${options.opening ?? "Hello there"}</p>`,
    author: { type: "user", id: "65f0c0ffee", name: "Robin Example", email: "robin@example.test" },
    attachments: [],
    url: null,
    redacted: false
  },
  contacts: { type: "contact.list", contacts: [{ type: "contact", id: "65f0c0ffee", external_id: "crm-77" }] },
  conversation_parts: {
    type: "conversation_part.list",
    conversation_parts:
      options.userReply === undefined
        ? []
        : [
            {
              type: "conversation_part",
              id: "311",
              part_type: "comment",
              body: `<p>${options.userReply}</p>`,
              created_at: 1_733_000_300,
              updated_at: 1_733_000_300,
              notified_at: 1_733_000_300,
              assigned_to: null,
              author: { type: "user", id: "65f0c0ffee", name: "Robin Example", email: "robin@example.test" },
              attachments: [],
              external_id: null,
              redacted: false
            }
          ],
    total_count: options.userReply === undefined ? 0 : 1
  },
  // Not in the 2.10 schema: must survive decoding.
  ai_agent_participated: false
})

export const contact = (id: string, role: "user" | "lead") => ({
  type: "contact",
  id,
  workspace_id: "wkspc1",
  external_id: role === "user" ? "crm-88" : null,
  role,
  email: role === "user" ? "sam@example.test" : null,
  name: role === "user" ? "Sam Example" : null,
  created_at: 1_733_000_100,
  updated_at: 1_733_000_100,
  custom_attributes: { plan: "team", seats: 4 }
})

export const ticket = (id: string) => ({
  type: "ticket",
  id,
  ticket_id: "4",
  category: "Customer",
  ticket_state: "submitted",
  ticket_attributes: { _default_title_: "Printer on fire" },
  created_at: 1_733_000_200,
  open: true
})

let counter = 0

/** A notification envelope around `item`; each call gets a fresh id unless one is given. */
export const notification = (topic: string, item: unknown, overrides: Record<string, unknown> = {}) => ({
  type: "notification_event",
  app_id: "wkspc1",
  data: { type: "notification_event_data", item },
  links: {},
  id: `notif_test-${String(++counter).padStart(4, "0")}`,
  topic,
  delivery_status: "pending",
  delivery_attempts: 1,
  delivered_at: 0,
  first_sent_at: 1_733_000_301,
  created_at: 1_733_000_301,
  self: null,
  ...overrides
})

/** The body as bytes and the header Intercom would send with it. */
export const signed = (value: unknown, key: Redacted.Redacted<string> = secret) => {
  const body = Buffer.from(JSON.stringify(value), "utf8")
  return { body, header: Signature.sign(key, body) }
}
