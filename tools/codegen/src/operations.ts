/**
 * Emits the one operation table, packages/schemas/src/generated/operations.ts: for each of the 108 operations what
 * the spec says (method, path, parameters, schemas by name, documentation link) joined with what
 * services/table.ts keeps by hand (service and method, idempotency, paging style, error rules), and the `Schema` its
 * query is checked against. It lives in the schemas package because everything that reads it already depends on
 * that package and nothing there depends back: the services send through its entries, the mock server checks its
 * routes against it, and the HTTP client reads the facts it needs from the entry each call carries.
 */
import { HEADER } from "./emit.js"
import { isNode, type Mode, type Model, type OperationModel, type ParamInfo } from "./model.js"
import { operationDocsUrl, pascalCase, propertyKey } from "./naming.js"
import { table } from "./services/table.js"
import type { Node } from "./spec.js"

/** `per_page_and_starting_after` -> `perPageAndStartingAfter`. */
export const camelCase = (name: string): string => {
  const pascal = pascalCase(name)
  return pascal.charAt(0).toLowerCase() + pascal.slice(1)
}

/** The `Schema` a query parameter's value is checked against before it is sent (its range, its literals). */
const paramSchema = (schema: Node): string => {
  const members = schema["oneOf"]
  if (Array.isArray(members)) {
    // An exploded object (GET /events `filter`): exactly one of several single-key objects of strings.
    const structs = members.filter(isNode).map((m) => {
      const props = isNode(m["properties"]) ? Object.keys(m["properties"]) : []
      return `Schema.Struct({ ${props.map((p) => `${propertyKey(p)}: Schema.String`).join(", ")} })`
    })
    return structs.length === 1 ? structs[0]! : `Schema.Union(${structs.join(", ")})`
  }
  if (Array.isArray(schema["enum"])) return `Schema.Literal(${schema["enum"].map((v) => JSON.stringify(v)).join(", ")})`
  const range = [
    ...(typeof schema["minimum"] === "number" ? [`Schema.greaterThanOrEqualTo(${schema["minimum"]})`] : []),
    ...(typeof schema["maximum"] === "number" ? [`Schema.lessThanOrEqualTo(${schema["maximum"]})`] : [])
  ]
  const ranged = (base: string) => (range.length === 0 ? base : `${base}.pipe(${range.join(", ")})`)
  switch (schema["type"]) {
    case "integer":
      return ranged("Schema.Int")
    case "number":
      return ranged("Schema.Finite")
    case "boolean":
      return "Schema.Boolean"
    default:
      return "Schema.String"
  }
}

/** The `Schema` of an operation's whole query; parameters a method leaves out are `undefined` or absent. */
const querySchema = (params: ReadonlyArray<ParamInfo>): string =>
  `Schema.Struct({ ${params
    .map(
      (p) =>
        `${propertyKey(p.name)}: ${p.required ? paramSchema(p.schema) : `Schema.optional(${paramSchema(p.schema)})`}`
    )
    .join(", ")} })`

/** A query schema several operations share (the page-numbered lists) is declared once, named after its parameters. */
const sharedQueries = (
  operations: ReadonlyArray<OperationModel>
): { readonly names: Map<string, string>; readonly declarations: Array<string> } => {
  const queries = new Map<string, { readonly params: ReadonlyArray<ParamInfo>; readonly users: Array<string> }>()
  for (const op of operations) {
    if (op.queryParams.length === 0) continue
    const schema = querySchema(op.queryParams)
    if (!queries.has(schema)) queries.set(schema, { params: op.queryParams, users: [] })
    queries.get(schema)!.users.push(op.operationId)
  }
  const names = new Map<string, string>()
  const declarations: Array<string> = []
  for (const [schema, { params, users }] of queries) {
    if (users.length < 2) continue
    const base = `${camelCase(params.map((p) => p.name).join("_and_"))}Query`
    let name = base
    for (let i = 2; [...names.values()].includes(name); i++) name = `${base}${i}`
    names.set(schema, name)
    declarations.push(`/** The query of ${users.join(", ")}. */\nconst ${name} = ${schema}`)
  }
  return { names, declarations }
}

const interfaces = [
  [
    "/** A path or query parameter of an operation. @since 0.1.0 */",
    "export interface OperationParameter {",
    "  readonly name: string",
    "  readonly required: boolean",
    "  readonly type: string",
    "}"
  ].join("\n"),
  [
    "/**",
    " * How a list operation pages (the five styles of 2.10): `cursor` (`per_page` and `starting_after` in the query),",
    " * `search` (the same cursor inside the search body), `pageNumber` (`page` and `per_page`), `scroll`",
    " * (`scroll_param`, until an empty page) and `nextUrl` (follow `pages.next`).",
    " * @since 0.3.0",
    " */",
    "export interface OperationPaging {",
    '  readonly style: "cursor" | "search" | "pageNumber" | "scroll" | "nextUrl"',
    "  /** The property of a page that holds its items. */",
    "  readonly items: string",
    "  /** The schema a walk decodes its pages with, when narrower than the operation's response. */",
    "  readonly response?: SchemaName",
    "  /** Query parameters a walk does not take, because they would change what a page is. */",
    "  readonly omit?: ReadonlyArray<string>",
    "}"
  ].join("\n"),
  [
    "/**",
    " * One operation of the 2.10 API. `responses` maps each declared status to the schema of its JSON body,",
    " * or null when the body is empty or not JSON.",
    " * @since 0.1.0",
    " */",
    "export interface Operation {",
    "  readonly operationId: string",
    '  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH"',
    "  readonly path: string",
    "  readonly tag: string",
    "  readonly tags: ReadonlyArray<string>",
    "  readonly docs: string",
    "  readonly pathParams: ReadonlyArray<OperationParameter>",
    "  readonly queryParams: ReadonlyArray<OperationParameter>",
    "  readonly requestBody: SchemaName | null",
    "  readonly responses: { readonly [status: string]: SchemaName | null }",
    "  /** The service of @intercom-effect/services that calls it. @since 0.3.0 */",
    "  readonly service: string",
    "  /** The method of that service (the one-page method of a list adds `Page`). @since 0.3.0 */",
    "  readonly call: string",
    "  /** `Service.method`: the name of the call's span. @since 0.3.0 */",
    "  readonly name: string",
    "  /**",
    "   * Whether repeating the call is harmless: every GET, PUT and DELETE, and the POSTs that only read (the",
    "   * searches, POST /companies/list). A create is never repeated after it may have arrived. @since 0.3.0",
    "   */",
    "  readonly idempotent: boolean",
    "  /** How the operation pages, when it is a list that does. @since 0.3.0 */",
    "  readonly paging: OperationPaging | null",
    "  /**",
    "   * Set when a 429 from this operation is a rule of the resource that waiting does not lift (one pending data",
    "   * export job per workspace), not a spent window: it is final, and no retry is made. @since 0.3.0",
    "   */",
    "  readonly finalRateLimit?: boolean",
    "  /**",
    "   * What a query must satisfy before it is sent (types, Intercom's ranges: `per_page` 1..150, or 1..60 for the",
    "   * companies lists; `page` from 1); absent when the operation takes none. @since 0.3.0",
    "   */",
    "  readonly query?: Schema.Schema.AnyNoContext",
    "}"
  ].join("\n")
]

/** packages/schemas/src/generated/operations.ts. */
export const emitOperations = (model: Model): string => {
  const name = (component: string | null, mode: Mode): string =>
    component === null ? "null" : JSON.stringify(model.unitFor(component, mode).exportName)
  const params = (list: ReadonlyArray<{ name: string; required: boolean; type: string }>): string =>
    `[${list.map((p) => `{ name: ${JSON.stringify(p.name)}, required: ${p.required}, type: ${JSON.stringify(p.type)} }`).join(", ")}]`
  const { names: queryNames, declarations } = sharedQueries(model.operations)
  const entries = model.operations.map((op) => {
    const row = table[op.operationId]
    if (row === undefined) throw new Error(`table: no service method for ${op.operationId}`)
    if (row.readOnly && op.method !== "POST")
      throw new Error(`table: ${op.operationId} is no POST, it needs no readOnly`)
    const responses = op.responses.map(([status, c]) => `${JSON.stringify(status)}: ${name(c, "response")}`)
    const paging =
      row.paging === undefined
        ? "null"
        : `{ ${[
            `style: ${JSON.stringify(row.paging.style)}`,
            `items: ${JSON.stringify(row.paging.items)}`,
            ...(row.paging.response === undefined ? [] : [`response: ${JSON.stringify(row.paging.response)}`]),
            ...(row.paging.omit === undefined ? [] : [`omit: ${JSON.stringify(row.paging.omit)}`])
          ].join(", ")} }`
    const query = op.queryParams.length === 0 ? undefined : querySchema(op.queryParams)
    return [
      `${op.operationId}: {`,
      `operationId: ${JSON.stringify(op.operationId)},`,
      `method: ${JSON.stringify(op.method)},`,
      `path: ${JSON.stringify(op.path)},`,
      `tag: ${JSON.stringify(op.tags[0] ?? "")},`,
      `tags: [${op.tags.map((t) => JSON.stringify(t)).join(", ")}],`,
      `docs: ${JSON.stringify(operationDocsUrl(op.tags[0] ?? "", op.operationId))},`,
      `pathParams: ${params(op.pathParams)},`,
      `queryParams: ${params(op.queryParams)},`,
      `requestBody: ${name(op.requestBody, "request")},`,
      `responses: { ${responses.join(", ")} },`,
      `service: ${JSON.stringify(row.service)},`,
      `call: ${JSON.stringify(row.method)},`,
      `name: ${JSON.stringify(`${row.service}.${row.method}`)},`,
      `idempotent: ${op.method !== "POST" || row.readOnly === true},`,
      `paging: ${paging}`,
      ...(row.finalRateLimit ? [",finalRateLimit: true"] : []),
      ...(query === undefined ? [] : [`,query: ${queryNames.get(query) ?? query}`]),
      "}"
    ].join("\n")
  })
  return [
    HEADER,
    [
      "/**",
      " * The one operation table: the spec's facts joined with the hand-kept ones of tools/codegen/src/services/table.ts",
      " * (service and method, read-only POSTs, paging, error rules). Change them there and run `pnpm codegen`.",
      " */"
    ].join("\n"),
    'import { Schema } from "effect"\nimport type { SchemaName } from "./registry.js"',
    ...interfaces,
    ...declarations,
    [
      "/**",
      " * Every operation of the 2.10 API, by operationId: the one table the services send through, the mock server's",
      " * routes are checked against and the HTTP client reads its per-operation rules from.",
      " * @since 0.1.0",
      " */",
      `export const operations = {\n${entries.join(",\n")}\n} as const satisfies { readonly [operationId: string]: Operation }`
    ].join("\n"),
    "/** The operationId of an operation. @since 0.1.0 */\nexport type OperationId = keyof typeof operations"
  ].join("\n\n")
}
