/**
 * Tickets: create, get, update, search.
 *
 * @since 0.1.0
 */
import { HttpRouter } from "@effect/platform"
import { CreateTicketRequest, SearchQuery, Ticket, TicketList, UpdateTicketRequest } from "@intercom-effect/schemas"
import { Effect } from "effect"
import * as Records from "../internal/records.js"
import { byId, create, now, param, search as searchRoute, store } from "../internal/route.js"
import * as Reply from "../Reply.js"
import * as Search from "../Search.js"
import type { ContactRecord, Store, TicketRecord } from "../State.js"

const find = (s: Store, id: string): Effect.Effect<TicketRecord, Reply.ApiError> => {
  const record = s.tickets.get(id)
  return record === undefined ? Reply.notFound("ticket_not_found", "Ticket not found") : Effect.succeed(record)
}

const createTicket = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateTicketRequest)
  const ticketType = s.ticketTypes.find((t) => t.id === body.ticket_type_id)
  if (ticketType === undefined) return yield* Reply.notFound("not_found", "Ticket type not found")
  const contacts: Array<ContactRecord> = []
  for (const ref of body.contacts) {
    const contact =
      "id" in ref
        ? s.contacts.get(ref.id)
        : "external_id" in ref
          ? s.contactByExternalId(ref.external_id)
          : s.contactsByEmail(ref.email)[0]
    if (contact === undefined) return yield* Reply.notFound("not_found", "User Not Found")
    contacts.push(contact)
  }
  if (contacts.length === 0) return yield* Reply.invalid("contacts", "A ticket needs at least one contact")
  if (body.company_id !== undefined && s.companies.get(body.company_id) === undefined) {
    return yield* Reply.notFound("company_not_found", "Company Not Found")
  }
  const at = yield* now
  const record = s.addTicket(
    Records.ticket(s.ids, {
      ticketType,
      contacts: contacts.map((c) => c.contact),
      attributes: body.ticket_attributes ?? {},
      at
    })
  )
  return yield* Reply.json(Ticket, record.ticket)
})

const update = Effect.gen(function* () {
  const s = yield* store
  const record = yield* find(s, yield* param("id"))
  const body = yield* Reply.body(UpdateTicketRequest)
  const assignee = body.assignment?.assignee_id
  if (assignee !== undefined && assignee !== "0" && s.admin(assignee) === undefined) {
    return yield* Reply.notFound("assignee_not_found", "Assignee not found")
  }
  const previous = record.ticket
  s.updateTicket(record, {
    ...previous,
    ...(body.state === undefined
      ? {}
      : {
          ticket_state: body.state,
          ticket_state_internal_label: Records.ticketStateLabel(body.state),
          ticket_state_external_label: Records.ticketStateLabel(body.state)
        }),
    ...(body.open === undefined ? {} : { open: body.open }),
    ...(body.is_shared === undefined ? {} : { is_shared: body.is_shared }),
    ...(body.snoozed_until === undefined ? {} : { snoozed_until: body.snoozed_until }),
    ...(assignee === undefined ? {} : { admin_assignee_id: assignee }),
    ticket_attributes: {
      ...previous.ticket_attributes,
      ...(body.ticket_attributes as typeof previous.ticket_attributes)
    },
    updated_at: yield* now
  })
  return yield* Reply.json(Ticket, record.ticket)
})

const fields: Search.Fields<TicketRecord> = {
  values: (r, field) => {
    switch (field) {
      case "state":
        return Search.path(r.ticket, "ticket_state")
      case "ticket_type_id":
        return Search.path(r.ticket, "ticket_type.id")
      case "contact_ids":
        return Search.path(r.ticket, "contacts.contacts.id")
      case "title":
        return Search.path(r.ticket, "ticket_attributes._default_title_")
      case "description":
        return Search.path(r.ticket, "ticket_attributes._default_description_")
      default:
        return Search.path(r.ticket, field)
    }
  }
}

/**
 * The ticket dates a living workspace compares by calendar day, as Intercom does.
 *
 * @since 0.2.0
 * @category constants
 */
export const livingDays: ReadonlyArray<string> = ["created_at", "updated_at", "snoozed_until"]

const search = searchRoute<TicketRecord>({
  request: SearchQuery.SearchRequest,
  records: (s, matches) => s.tickets.values(matches),
  fields,
  livingDays,
  createdAt: (r) => r.ticket.created_at,
  perPage: 20,
  respond: (_, items, page) =>
    Reply.json(TicketList, { type: "ticket.list", ...page, tickets: items.map((r) => r.ticket) })
})

/**
 * The ticket routes.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.post("/tickets", create(createTicket)),
  HttpRouter.post("/tickets/search", search),
  HttpRouter.get(
    "/tickets/:id",
    byId(find, (_, r) => Reply.json(Ticket, r.ticket))
  ),
  HttpRouter.put("/tickets/:id", update)
)
