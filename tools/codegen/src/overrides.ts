/**
 * Every correction the generator applies to Intercom's 2.10 OpenAPI file, one entry per defect, each with its
 * reason. Entries patch the parsed document before anything is generated; the generated code never gets
 * hand-edited.
 *
 * Targets are JSON pointers into the spec. Besides plain OpenAPI, patches may set these generator extensions:
 * - `x-name`: the exported identifier (instead of the PascalCase of the component name);
 * - `x-response-required` / `x-response-optional`: required-ness in responses, where the file's `required`
 *   (declared by only 35 of 171 schemas) does not say what the API always sends. By default `type` and `id`
 *   are required on objects that have an `id`, and everything else is optional (see ir.ts);
 * - `x-external`: `{module, name}`, the schema is defined by a hand-written module of @intercom-effect/schemas.
 *
 * What real traffic does to every response (nulls, ids as numbers, counts as strings, unknown fields) is handled
 * by rules of the generator (ir.ts), not here: this file holds only corrections of particular shapes.
 */
import { getAt, type Node, parentAt, type Spec } from "./spec.js"

/** One correction. */
export type Override =
  | {
      /** Replace (or create) the node at `target`. */
      readonly op: "set"
      readonly target: string
      readonly reason: string
      readonly value: unknown
    }
  | {
      /** Shallow-merge `value` into the object at `target`. */
      readonly op: "merge"
      readonly target: string
      readonly reason: string
      readonly value: Node
    }
  | {
      /** Delete the node at `target`. */
      readonly op: "remove"
      readonly target: string
      readonly reason: string
    }
  | {
      /** Shallow-merge `value` into the schema of the operation's parameter `name` (found by name, not index). */
      readonly op: "param"
      readonly path: string
      readonly method: "get" | "post" | "put" | "delete"
      readonly name: string
      readonly reason: string
      readonly value: Node
    }

const S = "#/components/schemas"
const openMap = { type: "object", additionalProperties: {} }
const schemaOf = (path: string, method: string, status: string): string =>
  `#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}/responses/${status}/content/application~1json/schema`
const queryParam = (name: string, type: "integer" | "string") => ({ name, in: "query", schema: { type } })
const pageParams = [queryParam("page", "integer"), queryParam("per_page", "integer")]
const cursorParams = [queryParam("per_page", "integer"), queryParam("starting_after", "string")]
const parametersOf = (path: string, method: string): string =>
  `#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}/parameters`

/** One variant of create_message_request: the same fields, told apart by `message_type` and what each requires. */
const messageVariant = (messageType: "email" | "inapp", required: ReadonlyArray<string>) => ({
  type: "object",
  required: ["message_type", ...required],
  properties: {
    message_type: { type: "string", enum: [messageType] },
    subject: { type: "string" },
    body: { type: "string" },
    template: { type: "string" },
    from: { $ref: `${S}/create_message_from` },
    to: { $ref: `${S}/create_message_to` },
    create_conversation_without_contact_reply: { type: "boolean" }
  }
})

/** The corrections, in the order they are applied. */
export const overrides: ReadonlyArray<Override> = [
  // --- Naming -------------------------------------------------------------------------------------------------
  {
    op: "merge",
    target: `${S}/error`,
    reason: "`Error` would shadow the global Error class in every module that imports it; the body is an error.list.",
    value: { "x-name": "ErrorList" }
  },

  ...(
    [
      ["contact_subscription_types", "Contacts"],
      ["create_ticket_reply_with_comment_request", "Tickets"],
      ["data_event_list", "Data Events"],
      ["data_export_csv", "Data Export"],
      ["visitor_deleted_object", "Visitors"]
    ] as const
  ).map(
    ([schema, tag]): Override => ({
      op: "merge",
      target: `${S}/${schema}`,
      reason: `No operation uses ${schema}, so nothing places it in a domain; it belongs with ${tag}.`,
      value: { "x-tags": [tag] }
    })
  ),

  // --- The dangling reference ---------------------------------------------------------------------------------
  {
    op: "set",
    target: `${S}/create_phone_switch_request/properties/custom_attributes`,
    reason:
      "Refers to #/components/schemas/custom_attributes, which does not exist (off-the-shelf generators crash here). " +
      "Custom attributes are an open JSON map everywhere else.",
    value: openMap
  },

  // --- Wrong response schemas ---------------------------------------------------------------------------------
  {
    op: "set",
    target: schemaOf("/conversations", "get", "200"),
    reason:
      "GET /conversations declares paginated_response (news items), but the API returns " +
      "{type: conversation.list, conversations, pages}: that is conversation_list.",
    value: { $ref: `${S}/conversation_list` }
  },
  {
    op: "set",
    target: schemaOf("/phone_call_redirects", "post", "400"),
    reason: "Declares no schema; the API answers {error_key, message} here instead of an error.list.",
    value: { $ref: `${S}/phone_switch_error` }
  },
  {
    op: "set",
    target: schemaOf("/phone_call_redirects", "post", "422"),
    reason: "Declares no schema; the API answers {error_key, message} here instead of an error.list.",
    value: { $ref: `${S}/phone_switch_error` }
  },
  {
    op: "set",
    target: `${S}/phone_switch_error`,
    reason: "The error body of POST /phone_call_redirects, which the file never declares.",
    value: { type: "object", properties: { error_key: { type: "string" }, message: { type: "string" } } }
  },
  {
    op: "set",
    target: schemaOf("/tickets/{id}", "put", "404"),
    reason: "Declares no schema although both examples are error.list bodies.",
    value: { $ref: `${S}/error` }
  },

  ...(
    [
      ["/conversations/{id}/customers", "post"],
      ["/conversations/{conversation_id}/customers/{contact_id}", "delete"]
    ] as const
  ).map(
    ([path, method]): Override => ({
      op: "set",
      target: schemaOf(path, method, "200"),
      reason:
        `${method.toUpperCase()} ${path} declares a conversation, but its example is {customers: [{type, id}]}: ` +
        "accept either.",
      value: { $ref: `${S}/conversation_or_customers` }
    })
  ),
  {
    op: "set",
    target: `${S}/conversation_or_customers`,
    reason: "The answer of attaching/detaching a conversation's contact: a conversation, or {customers} (see above).",
    value: {
      oneOf: [
        { $ref: `${S}/conversation` },
        {
          type: "object",
          required: ["customers"],
          properties: { customers: { type: "array", items: { $ref: `${S}/contact_reference` } } }
        }
      ]
    }
  },

  // --- Key mismatches -----------------------------------------------------------------------------------------
  {
    op: "merge",
    target: `${S}/contact_attached_companies/properties`,
    reason: "The schema says `companies`, the example (and the API) says `data`: accept both.",
    value: { data: { type: "array", items: { $ref: `${S}/company` } } }
  },
  {
    op: "merge",
    target: `${S}/ticket_type_list/properties`,
    reason: "The schema says `ticket_types`, the example says `data`: accept both.",
    value: { data: { type: "array", items: { $ref: `${S}/ticket_type` } } }
  },
  {
    op: "merge",
    target: `${S}/data_export/properties`,
    reason: "Declared as `job_identfier` (typo); examples and the API use `job_identifier`. Both are accepted.",
    value: { job_identifier: { type: "string" } }
  },

  // --- Wrong types ----------------------------------------------------------------------------------------------
  {
    op: "set",
    target: `${S}/admin/properties/avatar`,
    reason: "Declared a string, but the API sends an object {type?, image_url}.",
    value: {
      type: "object",
      nullable: true,
      properties: { type: { type: "string" }, image_url: { type: "string", nullable: true } }
    }
  },
  {
    op: "set",
    target: `${S}/create_message_request`,
    reason:
      "The enum says `in_app` but the API expects `inapp`; and the two shapes (email needs subject and template) " +
      "are told apart by message_type, so they become a union tagged by it.",
    value: {
      oneOf: [
        messageVariant("email", ["subject", "body", "template", "from", "to"]),
        messageVariant("inapp", ["body", "from", "to"])
      ]
    }
  },
  {
    op: "set",
    target: `${S}/create_message_from`,
    reason: "Named so both create_message_request variants share it (inline in the file).",
    value: {
      type: "object",
      required: ["type", "id"],
      properties: { type: { type: "string", enum: ["admin"] }, id: { type: "integer" } }
    }
  },
  {
    op: "set",
    target: `${S}/create_message_to`,
    reason: "Named so both create_message_request variants share it (inline in the file).",
    value: {
      type: "object",
      required: ["type", "id"],
      properties: { type: { type: "string", enum: ["user", "lead"] }, id: { type: "string" } }
    }
  },
  {
    op: "remove",
    target: `${S}/create_conversation_request/properties/from/properties/id/format`,
    reason:
      "Declared `format: uuid` beside a length of exactly 24: a contact id is 24 hex characters, never a UUID, so " +
      "no id satisfies both (the file's own example fails the format)."
  },
  {
    op: "merge",
    target: `${S}/update_ticket_request/properties/state`,
    reason: "The file's own request example sends a state outside the declared enum; the API accepts it.",
    value: { enum: ["in_progress", "waiting_on_customer", "resolved", "submitted"] }
  },
  {
    op: "merge",
    target: `${S}/contact/properties/role`,
    reason: "Declared a bare string; the API sends `user` or `lead` (kept open for values added later).",
    value: { enum: ["user", "lead"] }
  },

  // --- Shape variants real traffic uses ---------------------------------------------------------------------
  {
    op: "set",
    target: `${S}/cursor_pages/properties/next`,
    reason:
      "Cursor lists send `next` as {per_page, starting_after}, but the page-numbered lists that share this schema " +
      "send it as the URL of the next page, and the last page sends null: accept all three.",
    value: { nullable: true, oneOf: [{ $ref: `${S}/starting_after_paging` }, { type: "string" }] }
  },
  {
    op: "set",
    target: `${S}/contact/properties/avatar`,
    reason: "Declared an object {type, image_url}, but leads come with the image URL as a plain string, or null.",
    value: {
      nullable: true,
      oneOf: [
        {
          type: "object",
          properties: { type: { type: "string" }, image_url: { type: "string", nullable: true } }
        },
        { type: "string" }
      ]
    }
  },
  {
    op: "set",
    target: schemaOf("/events", "get", "200"),
    reason:
      "GET /events answers the event list ({type: event.list, events, pages.next URL}) unless `summary=true` asks " +
      "for the summary ({type: event.summary, events of name/first/last/count}); the file describes only the " +
      "summary, so a list would decode into empty events. Model both, told apart by `type`.",
    value: {
      "x-name": "DataEventListOrSummary",
      oneOf: [{ $ref: `${S}/data_event_list` }, { $ref: `${S}/data_event_summary` }]
    }
  },

  // --- Hand-written schemas -------------------------------------------------------------------------------------
  ...(
    [
      ["search_request", "SearchRequest"],
      ["single_filter_search_request", "Filter"],
      ["multiple_filter_search_request", "Group"],
      ["multiple_or_single_filter_search_request", "Query"]
    ] as const
  ).map(
    ([schema, name]): Override => ({
      op: "merge",
      target: `${S}/${schema}`,
      reason:
        `The search body is defined once, by SearchQuery (which also enforces the depth, group-size and operator ` +
        `rules the file cannot express): ${schema} is SearchQuery.${name}.`,
      value: { "x-external": { module: "SearchQuery", name } }
    })
  ),

  // --- Required-ness in responses ------------------------------------------------------------------------------
  ...(
    [
      ["activity_log_list", "activity_logs"],
      ["admin_list", "admins"],
      ["article_list", "data"],
      ["collection_list", "data"],
      ["company_attached_contacts", "data"],
      ["company_attached_segments", "data"],
      ["company_list", "data"],
      ["company_scroll", "data"],
      ["contact_list", "data"],
      ["contact_segments", "data"],
      ["conversation_list", "conversations"],
      ["data_attribute_list", "data"],
      ["help_center_list", "data"],
      ["note_list", "data"],
      ["paginated_response", "data"],
      ["segment_list", "segments"],
      ["subscription_type_list", "data"],
      ["tag_list", "data"],
      ["team_list", "teams"],
      ["ticket_list", "tickets"]
    ] as const
  ).map(
    ([schema, items]): Override => ({
      op: "merge",
      target: `${S}/${schema}`,
      reason:
        `A list response always carries its items (\`${items}\`, possibly empty): required, so paging code ` +
        "need not guess. Every example of the file has it.",
      value: { "x-response-required": [items] }
    })
  ),
  {
    op: "merge",
    target: `${S}/contact`,
    reason:
      "A contact always comes with its role, workspace and timestamps (every contact example has them); " +
      "making them required keeps `contact.role` from being `| undefined` for every caller.",
    value: { "x-response-required": ["role", "workspace_id", "created_at", "updated_at"] }
  },
  {
    op: "merge",
    target: `${S}/data_attribute`,
    reason: "Built-in attributes (the lisDataAttributes example) have no `id`; only custom ones do.",
    value: { "x-response-optional": ["id"] }
  },

  // --- Open maps ------------------------------------------------------------------------------------------------
  ...(
    [
      ["company", "custom_attributes"],
      ["contact", "custom_attributes"],
      ["visitor", "custom_attributes"],
      ["create_or_update_company_request", "custom_attributes"],
      ["update_visitor_request", "custom_attributes"],
      ["data_event", "metadata"],
      ["create_data_event_request", "metadata"]
    ] as const
  ).map(
    ([schema, property]): Override => ({
      op: "set",
      target: `${S}/${schema}/properties/${property}`,
      reason:
        `${schema}.${property} is declared as a string map or bare object, but values are numbers, booleans and ` +
        "objects too (e.g. metadata {url, value}): an open JSON map.",
      value: openMap
    })
  ),

  // --- Paging the file forgets ------------------------------------------------------------------------------
  {
    op: "set",
    target: parametersOf("/contacts", "get"),
    reason: "GET /contacts pages by `per_page`/`starting_after`, which the file does not declare.",
    value: cursorParams
  },
  {
    op: "set",
    target: parametersOf("/articles", "get"),
    reason: "GET /articles pages by `page`/`per_page`, which the file does not declare.",
    value: pageParams
  },
  {
    op: "set",
    target: parametersOf("/help_center/collections", "get"),
    reason: "GET /help_center/collections pages by `page`/`per_page`, which the file does not declare.",
    value: pageParams
  },
  {
    op: "merge",
    target: `#/paths/~1contacts~1{id}~1notes/get`,
    reason: "GET /contacts/{id}/notes pages by `page`/`per_page`, which the file does not declare.",
    value: { parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }, ...pageParams] }
  },
  {
    op: "merge",
    target: `#/paths/~1contacts~1{id}~1companies/get`,
    reason: "GET /contacts/{id}/companies pages by `page`/`per_page`, which the file does not declare.",
    value: { parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, ...pageParams] }
  },

  // --- Limits the file does not state (every other `per_page` gets the generator's 1..150, see model.ts) ------
  ...(
    [
      ["/companies", "get"],
      ["/companies/list", "post"]
    ] as const
  ).map(
    ([path, method]): Override => ({
      op: "param",
      path,
      method,
      name: "per_page",
      reason:
        `${method.toUpperCase()} ${path} answers at most 60 companies a page, not the 150 of the other lists: a ` +
        "larger per_page is refused before it is sent rather than quietly capped.",
      value: { maximum: 60 }
    })
  )
]

/** The schema of an operation's parameter, by name; an error when there is none. */
const paramSchema = (spec: Spec, o: Extract<Override, { readonly op: "param" }>): Node => {
  const operation = spec.paths[o.path]?.[o.method]
  const params = Array.isArray(operation?.["parameters"]) ? (operation["parameters"] as Array<Node>) : []
  const param = params.find((p) => typeof p === "object" && p !== null && p["name"] === o.name)
  if (param === undefined) throw new Error(`param target missing: ${o.method.toUpperCase()} ${o.path} ${o.name}`)
  if (typeof param["schema"] !== "object" || param["schema"] === null) param["schema"] = {}
  return param["schema"] as Node
}

/** Applies overrides in order; a target that does not exist (other than a new leaf) is an error. */
export const applyOverrides = (spec: Spec, list: ReadonlyArray<Override>): Spec => {
  for (const o of list) {
    if (o.op === "param") {
      Object.assign(paramSchema(spec, o), structuredClone(o.value))
      continue
    }
    const { parent, key } = parentAt(spec, o.target)
    switch (o.op) {
      case "set":
        parent[key] = structuredClone(o.value)
        break
      case "merge": {
        const current = getAt(spec, o.target)
        if (typeof current !== "object" || current === null) throw new Error(`merge target missing: ${o.target}`)
        Object.assign(current, structuredClone(o.value))
        break
      }
      case "remove":
        if (!(key in parent)) throw new Error(`remove target missing: ${o.target}`)
        delete parent[key]
        break
    }
  }
  return spec
}
