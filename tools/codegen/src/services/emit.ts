/**
 * Writes packages/services/src: one module per service (Tag, explicit `Service` interface, `make`, `layer`), the
 * barrel, and the reference table of the README, from the operation model and the hand-kept table. Every method is
 * one line over the shared helpers of packages/services/src/internal.
 */
import { HEADER } from "../emit.js"
import type { Type } from "../ir.js"
import { isNode, type Model, type OperationModel, type ParamInfo } from "../model.js"
import { compareStrings, operationDocsUrl, pascalCase, propertyKey } from "../naming.js"
import { camelCase } from "../operations.js"
import type { Node } from "../spec.js"
import { type Row, type ServiceName, serviceNames, services, table, withHelpers } from "./table.js"

/** Query parameters each paging style writes itself. */
const pagingParams: Readonly<Record<string, ReadonlyArray<string>>> = {
  cursor: ["per_page", "starting_after"],
  pageNumber: ["page", "per_page"],
  scroll: ["scroll_param"],
  nextUrl: [],
  search: []
}

/** The Position type of each style. */
const positionOf: Readonly<Record<string, string>> = {
  cursor: "Position.Cursor",
  search: "Position.Cursor",
  pageNumber: "Position.PageNumber",
  scroll: "Position.Scroll",
  nextUrl: "Position.NextUrl"
}

/** The path parameters in the order the template names them. */
const pathParamNames = (path: string): Array<string> => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)

/** The TypeScript type of a query parameter. */
const queryType = (schema: Node): string => {
  const members = schema["oneOf"]
  if (Array.isArray(members)) {
    // An exploded object (GET /events `filter`): one of several single-key objects.
    return members
      .filter(isNode)
      .map((m) => {
        const props = isNode(m["properties"]) ? Object.keys(m["properties"]) : []
        return `{ ${props.map((p) => `readonly ${propertyKey(p)}: string`).join("; ")} }`
      })
      .join(" | ")
  }
  if (Array.isArray(schema["enum"])) return schema["enum"].map((v) => JSON.stringify(v)).join(" | ")
  switch (schema["type"]) {
    case "integer":
    case "number":
      return "number"
    case "boolean":
      return "boolean"
    default:
      return "string"
  }
}

/** The element type of a list response's items property, named when the items are a named schema. */
const itemType = (response: string, items: string, lowered: Type | undefined): string => {
  const prop = lowered?.kind === "object" ? lowered.props.find((p) => p.name === items) : undefined
  let type = prop?.type
  if (type?.kind === "nullable") type = type.type
  if (type?.kind === "array" && type.item.kind === "ref") return type.item.unit.exportName
  return `NonNullable<${response}[${JSON.stringify(items)}]>[number]`
}

interface Method {
  readonly row: Row
  readonly op: OperationModel
  /** Lines of the `Service` interface. */
  readonly signature: Array<string>
  /** Declarations before the `Service` interface (query types). */
  readonly types: Array<string>
  /** Entries of the object `make` returns; `locals` come first in `make`. */
  readonly entries: Array<string>
  readonly locals: Array<string>
  /** Schemas the module names, and which of them it uses as values (the rest are imported as types). */
  readonly schemaImports: Set<string>
  readonly schemaValues: Set<string>
}

const docLines = (row: Row, op: OperationModel, extra: Array<string> = []): Array<string> => [
  "/**",
  ` * ${row.doc}`,
  ...extra.map((l) => ` * ${l}`),
  ` * @see {@link ${operationDocsUrl(op.tags[0] ?? "", op.operationId)} ${op.operationId}}`,
  " */"
]

/** How a schema is named inside a service module: a schema named like the service itself is imported as `<name>Object`. */
const local = (service: ServiceName, name: string): string => (name === service ? `${name}Object` : name)

const methodOf = (model: Model, service: ServiceName, operationId: string, row: Row): Method => {
  const op = model.operations.find((o) => o.operationId === operationId)
  if (op === undefined) throw new Error(`table: ${operationId} is not an operation of the spec`)
  const schemaImports = new Set<string>()
  const schemaValues = new Set<string>()
  const status = op.responses.find(([s]) => s.startsWith("2"))
  const responseUnit = status?.[1] ? model.unitFor(status[1], "response") : undefined
  if (responseUnit !== undefined) schemaImports.add(responseUnit.exportName)
  if (responseUnit !== undefined && row.body === undefined) schemaValues.add(responseUnit.exportName)
  const response = responseUnit === undefined ? undefined : local(service, responseUnit.exportName)
  if (response === undefined && row.body === undefined)
    throw new Error(`${operationId}: no JSON response, say void or bytes`)
  const isSearch = row.paging?.style === "search"
  const bodyUnit = op.requestBody === null ? undefined : model.unitFor(op.requestBody, "request")
  const bodyType = bodyUnit === undefined ? undefined : local(service, bodyUnit.exportName)
  const bodySchema = row.requestSchema ?? bodyType
  if (bodyUnit !== undefined && !bodySchema?.startsWith("SearchQuery.")) {
    schemaImports.add(bodyUnit.exportName)
    schemaValues.add(bodyUnit.exportName)
  }

  const pathNames = pathParamNames(op.path)
  const pathArgs = pathNames.map((name) => `${camelCase(name)}: string`)
  const pathInput =
    pathNames.length === 0
      ? ""
      : `path: { ${pathNames.map((n) => (camelCase(n) === n ? n : `${n}: ${camelCase(n)}`)).join(", ")} }`
  const pagedParams = row.paging ? [...pagingParams[row.paging.style]!, ...(row.paging.omit ?? [])] : []
  const queryParams = op.queryParams
  const userParams = queryParams.filter((p) => !pagedParams.includes(p.name))
  const queryName = (suffix: string) => `${pascalCase(row.method)}${suffix}`
  const types: Array<string> = []
  const queryDecl = (name: string, params: ReadonlyArray<ParamInfo>, what: string): string => {
    types.push(
      [
        `/**`,
        ` * The query of {@link Service.${what}}.`,
        ` * @since 0.1.0`,
        ` * @category models`,
        ` */`,
        `export interface ${name} {`,
        ...params.map((p) =>
          p.required
            ? `  readonly ${propertyKey(p.name)}: ${queryType(p.schema)}`
            : `  readonly ${propertyKey(p.name)}?: ${queryType(p.schema)} | undefined`
        ),
        "}"
      ].join("\n")
    )
    return name
  }
  const optionalMark = (params: ReadonlyArray<ParamInfo>) => (params.some((p) => p.required) ? "" : "?")
  const input = (parts: ReadonlyArray<string>) => (parts.length === 0 ? "" : `, { ${parts.join(", ")} }`)
  const body = bodyUnit ? `body: IntercomClient.jsonBody(${bodySchema}, body)` : undefined
  const callOf = (query: string | undefined) => {
    const parts = [pathInput, ...(query ? [query] : []), ...(body ? [body] : [])].filter((p) => p !== "")
    if (row.body === "void") return `call.void(ops.${operationId}${input(parts)})`
    if (row.body === "bytes")
      return `call.bytes(ops.${operationId}${input([...parts, 'accept: "application/octet-stream"'])})`
    return `call.json(ops.${operationId}, ${response}${input(parts)})`
  }
  const returnType =
    row.body === "void"
      ? "Effect.Effect<void, IntercomError.IntercomError>"
      : row.body === "bytes"
        ? "Stream.Stream<Uint8Array, IntercomError.IntercomError>"
        : `Effect.Effect<${response}, IntercomError.IntercomError>`

  const signature: Array<string> = []
  const entries: Array<string> = []
  const locals: Array<string> = []
  if (row.paging === undefined) {
    const args = [...pathArgs]
    if (bodyType) args.push(`body: ${bodyType}`)
    let query: string | undefined
    if (queryParams.length > 0) {
      args.push(`query${optionalMark(queryParams)}: ${queryDecl(queryName("Query"), queryParams, row.method)}`)
      query = "query"
    }
    signature.push(...docLines(row, op), `readonly ${row.method}: (${args.join(", ")}) => ${returnType}`)
    entries.push(`${row.method}: (${args.join(", ")}) => ${callOf(query)}`)
  } else {
    const style = row.paging.style
    const position = positionOf[style]!
    // The walk may decode its pages with a narrower schema than the operation's response (see the table).
    const walkUnit =
      row.paging.response === undefined
        ? responseUnit
        : [...model.units.values()].find((u) => u.mode === "response" && u.exportName === row.paging!.response)
    if (walkUnit === undefined) throw new Error(`${operationId}: no schema ${row.paging.response}`)
    schemaImports.add(walkUnit.exportName)
    schemaValues.add(walkUnit.exportName)
    const walk = local(service, walkUnit.exportName)
    const item = itemType(walk, row.paging.items, walkUnit.lowered)
    if (/^\w+$/.test(item)) schemaImports.add(item)
    const pageMethod = `${row.method}Page`
    const getItems = `(page) => page${propertyKey(row.paging.items) === row.paging.items ? `.${row.paging.items}` : `[${JSON.stringify(row.paging.items)}]`}`
    if (isSearch) {
      signature.push(
        ...docLines(row, op, [
          "Takes a `SearchQuery` query; `per_page` goes in the options. Each page is one POST with the cursor in its body."
        ]),
        `readonly ${row.method}: (query: SearchQuery.Query, options?: Paging.Options<${position}>) => Paging.Paginator<${walk}, ${item}, ${position}>`,
        `/** One page of {@link Service.${row.method}}: the whole search body, \`pagination\` included. */`,
        `readonly ${pageMethod}: (body: SearchQuery.SearchRequest) => ${returnType}`
      )
      locals.push(`const ${pageMethod} = (body: SearchQuery.SearchRequest) => ${callOf(undefined)}`)
      entries.push(
        `${row.method}: (query, options) => Pages.search(ops.${operationId}, ${pageMethod}, ${getItems}, query, options)`,
        pageMethod
      )
    } else {
      const pageArgs = [...pathArgs]
      const listArgs = [...pathArgs]
      const pathCall = pathNames.map(camelCase)
      let pageQuery: string | undefined
      if (queryParams.length > 0) {
        pageArgs.push(
          `query${optionalMark(queryParams)}: ${queryDecl(queryName("PageQuery"), queryParams, pageMethod)}`
        )
        pageQuery = "query"
      }
      if (userParams.length > 0) {
        listArgs.push(`query${optionalMark(userParams)}: ${queryDecl(queryName("Query"), userParams, row.method)}`)
      }
      listArgs.push(`options?: Paging.Options<${position}>`)
      const extra =
        style === "nextUrl"
          ? ["Follows `pages.next`, a URL on this API's own path; the host is always the configured one."]
          : style === "scroll"
            ? ["Intercom allows one open scroll per app, and drops it after about a minute idle."]
            : []
      signature.push(
        ...docLines(row, op, extra),
        `readonly ${row.method}: (${listArgs.join(", ")}) => Paging.Paginator<${walk}, ${item}, ${position}>`,
        `/** One page of {@link Service.${row.method}}. */`,
        `readonly ${pageMethod}: (${pageArgs.join(", ")}) => ${returnType}`
      )
      const pageParams = pageArgs.join(", ")
      locals.push(`const ${pageMethod} = (${pageParams}) => ${callOf(pageQuery)}`)
      // A walk that decodes with a narrower schema fetches its pages through a function of its own.
      let walkPage = pageMethod
      if (walk !== response) {
        if (style !== "nextUrl") throw new Error(`${operationId}: a narrower walk schema is only supported for nextUrl`)
        walkPage = `${row.method}Walk`
        const walkArgs = [
          ...pathArgs,
          ...(userParams.length > 0 ? [`query${optionalMark(userParams)}: ${queryName("Query")}`] : [])
        ]
        const parts = [pathInput, ...(userParams.length > 0 ? ["query"] : [])].filter((p) => p !== "")
        locals.push(
          `const ${walkPage} = (${walkArgs.join(", ")}) => call.json(ops.${operationId}, ${walk}${input(parts)})`
        )
      }
      const listParams = [...pathCall, ...(userParams.length > 0 ? ["query"] : []), "options"]
      const fetchArgs = (paging: string) =>
        [
          ...pathCall,
          ...(queryParams.length > 0 ? [userParams.length > 0 ? `{ ...query, ...${paging} }` : paging] : [])
        ].join(", ")
      const fetch =
        style === "nextUrl"
          ? `${walkPage}(${[...pathCall, ...(userParams.length > 0 ? ["query"] : [])].join(", ")}), (url) => call.jsonAt(ops.${operationId}, ${walk}, url)`
          : pathCall.length === 0 && userParams.length === 0
            ? walkPage
            : `(paging) => ${walkPage}(${fetchArgs("paging")})`
      // A page number means something only for the walk's own query: the page-number walk fingerprints it.
      const identityParts = [...pathCall, ...(userParams.length > 0 ? ["query"] : [])]
      const identity =
        style !== "pageNumber" ? [] : [identityParts.length === 0 ? "undefined" : `{ ${identityParts.join(", ")} }`]
      const pagesArgs = [`ops.${operationId}`, ...identity, fetch, getItems, "options"]
      entries.push(`${row.method}: (${listParams.join(", ")}) => Pages.${style}(${pagesArgs.join(", ")})`, pageMethod)
    }
  }
  return { row, op, signature, types, entries, locals, schemaImports, schemaValues }
}

/** One service module. */
const serviceModule = (model: Model, service: ServiceName): string => {
  const rows = Object.entries(table).filter(([, row]) => row.service === service)
  const methods = rows.map(([operationId, row]) => methodOf(model, service, operationId, row))
  const schemaImports = new Set<string>()
  const schemaValues = new Set<string>()
  for (const m of methods) for (const name of m.schemaImports) schemaImports.add(name)
  for (const m of methods) for (const name of m.schemaValues) schemaValues.add(name)
  const uses = (text: string) =>
    methods.some((m) => [...m.signature, ...m.entries, ...m.locals].join("\n").includes(text))
  const usesSearch = uses("SearchQuery.")
  // SearchQuery is a value where a method encodes with its contacts schema; elsewhere only its types are named.
  const searchValue = methods.some((m) => [...m.entries, ...m.locals].join("\n").includes("jsonBody(SearchQuery."))
  const usesPaging = methods.some((m) => m.row.paging !== undefined)
  const usesStream = uses("Stream.")
  const helpers = withHelpers.has(service)
  const imports = [
    'import { IntercomClient, type IntercomError } from "@intercom-effect/http"',
    ...(usesPaging ? ['import type { Position } from "@intercom-effect/pagination"'] : []),
    `import { ${[
      ...(usesSearch ? [searchValue ? "SearchQuery" : "type SearchQuery"] : []),
      ...[...schemaImports]
        .sort(compareStrings)
        .map(
          (n) => `${schemaValues.has(n) ? "" : "type "}${local(service, n) === n ? n : `${n} as ${local(service, n)}`}`
        ),
      "operations as ops"
    ].join(", ")} } from "@intercom-effect/schemas"`,
    `import { Context, Effect, Layer${usesStream ? ", type Stream" : ""} } from "effect"`,
    'import * as Operation from "./internal/operation.js"',
    ...(usesPaging
      ? ['import * as Pages from "./internal/paging.js"', 'import type * as Paging from "./Paging.js"']
      : []),
    ...(helpers ? [`import * as Helpers from "./helpers/${service}.js"`] : [])
  ]
  return (
    [
      servicesHeader,
      [
        "/**",
        ` * ${service}: ${services[service]}.`,
        " *",
        ` * \`${service}.layer\` needs only an \`IntercomClient\`; provide one client to all services (\`Intercom.layer\` does)`,
        " * so they share its rate-limit gate.",
        " *",
        " * @since 0.1.0",
        " */"
      ].join("\n"),
      imports.join("\n"),
      ...(helpers
        ? [
            [
              "/**",
              ` * The models and errors of the hand-written methods (see src/helpers/${service}.ts).`,
              " *",
              " * @since 0.2.0",
              " */",
              `export * from "./helpers/${service}.js"`
            ].join("\n")
          ]
        : []),
      ...methods.flatMap((m) => m.types),
      [
        "/**",
        ` * The ${service} service.`,
        " *",
        " * @since 0.1.0",
        " * @category models",
        " */",
        `export interface Service${helpers ? " extends Helpers.Helpers" : ""} {`,
        ...methods.flatMap((m) => m.signature),
        "}"
      ].join("\n"),
      [
        "/**",
        ` * The ${service} service tag.`,
        " *",
        " * @since 0.1.0",
        " * @category tags",
        " */",
        `export class ${service} extends Context.Tag("@intercom-effect/services/${service}")<${service}, Service>() {}`
      ].join("\n"),
      [
        "/**",
        ` * Builds the ${service} service over the \`IntercomClient\` in context.`,
        " *",
        " * @since 0.1.0",
        " * @category constructors",
        " */",
        "export const make: Effect.Effect<Service, never, IntercomClient.IntercomClient> = Effect.map(IntercomClient.IntercomClient, (client) => {",
        "const call = Operation.make(client)",
        ...methods.flatMap((m) => m.locals),
        ...(helpers
          ? [
              "const operations: Omit<Service, keyof Helpers.Helpers> = {",
              methods.flatMap((m) => m.entries).join(",\n"),
              "}",
              `return ${service}.of({ ...operations, ...Helpers.makeHelpers({ operations, call }) })`
            ]
          : [`return ${service}.of({`, methods.flatMap((m) => m.entries).join(",\n"), "})"]),
        "})"
      ].join("\n"),
      [
        "/**",
        ` * The ${service} service as a layer over an \`IntercomClient\`.`,
        " *",
        " * @since 0.1.0",
        " * @category layers",
        " */",
        `export const layer: Layer.Layer<${service}, never, IntercomClient.IntercomClient> = Layer.effect(${service}, make)`
      ].join("\n")
    ].join("\n\n") + "\n"
  )
}

/** The operation reference of the services README: operationId -> Service.method, method and path. */
export const referenceTable = (model: Model): string => {
  const rows = model.operations
    .map((op) => {
      const row = table[op.operationId]
      if (row === undefined) throw new Error(`table: no service method for ${op.operationId}`)
      return { op, row }
    })
    .sort((a, b) => compareStrings(`${a.row.service}.${a.row.method}`, `${b.row.service}.${b.row.method}`))
  return [
    "| operation | method | HTTP |",
    "| --- | --- | --- |",
    ...rows.map(
      ({ op, row }) =>
        `| [${op.operationId}](${operationDocsUrl(op.tags[0] ?? "", op.operationId)}) | \`${row.service}.${row.method}\` | \`${op.method} ${op.path}\` |`
    )
  ].join("\n")
}

/** Files under packages/services/src. */
export const emitServices = (model: Model): Map<string, string> => {
  const files = new Map<string, string>()
  const unknown = Object.keys(table).filter((id) => !model.operations.some((op) => op.operationId === id))
  if (unknown.length > 0) throw new Error(`table: not operations of the spec: ${unknown.join(", ")}`)
  for (const service of serviceNames) files.set(`${service}.ts`, serviceModule(model, service))
  files.set("index.ts", barrel)
  files.set("Intercom.ts", intercomModule)
  return files
}

const servicesHeader = HEADER.replace("tools/codegen/src/overrides.ts", "tools/codegen/src/services/table.ts")

const namespaceExport = (doc: string, since: string, name: string): string =>
  ["/**", ` * ${doc}`, " *", ` * @since ${since}`, " */", `export * as ${name} from "./${name}.js"`].join("\n")

/** packages/services/src/index.ts: the hand-written modules, then every service in the README's order. */
const barrel =
  [
    servicesHeader,
    [
      "/**",
      " * Every operation of the Intercom REST API 2.10 as typed Effect services, one per resource, all composed by",
      " * `Intercom.layer` over one `IntercomClient`.",
      " *",
      " * @since 0.1.0",
      " */"
    ].join("\n"),
    namespaceExport("Every service over one client.", "0.1.0", "Intercom"),
    namespaceExport("The options and the `Paginator` of paged lists.", "0.1.0", "Paging"),
    namespaceExport(
      "Typed custom attributes: an attributes schema read and written through `contacts.withAttributes(schema)` and\n * `companies.withAttributes(schema)`.",
      "0.2.0",
      "CustomAttributes"
    ),
    ...serviceNames.map((service) => namespaceExport(`The ${service} service.`, "0.1.0", service))
  ].join("\n\n") + "\n"

/** packages/services/src/Intercom.ts: every service's layer over one client. */
const intercomModule =
  [
    servicesHeader,
    [
      "/**",
      " * Every service over one `IntercomClient`, so all calls share one rate-limit gate, one retry policy and one",
      " * connection pool. This is the layer an application provides; tests swap single services with `Layer.succeed`.",
      " *",
      " * @example",
      " * ```ts",
      ' * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"',
      ' * import * as NodeRuntime from "@effect/platform-node/NodeRuntime"',
      ' * import { Contacts, Intercom } from "@intercom-effect/services"',
      ' * import { Effect, Layer, Stream } from "effect"',
      " *",
      " * const program = Effect.gen(function* () {",
      " *   const contacts = yield* Contacts.Contacts",
      " *   const count = yield* Stream.runCount(contacts.list({ per_page: 150 }).items)",
      " *   yield* Effect.log(`${count} contacts`)",
      " * })",
      " *",
      " * program.pipe(Effect.provide(Intercom.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))), NodeRuntime.runMain)",
      " * ```",
      " *",
      " * @since 0.1.0",
      " */"
    ].join("\n"),
    [
      'import type { HttpClient } from "@effect/platform"',
      'import { IntercomClient, type IntercomConfig } from "@intercom-effect/http"',
      'import { type ConfigError, Layer } from "effect"',
      ...[...serviceNames]
        .sort((a, b) => compareStrings(a.toLowerCase(), b.toLowerCase()))
        .map((s) => `import * as ${s} from "./${s}.js"`)
    ].join("\n"),
    [
      "/**",
      " * Every service tag the `Intercom` layers provide.",
      " *",
      " * @since 0.1.0",
      " * @category models",
      " */",
      `export type Services = ${serviceNames.map((s) => `${s}.${s}`).join(" | ")}`
    ].join("\n"),
    [
      "/**",
      " * Every service tag by name: `Effect.all(Intercom.tags)` is every service at once.",
      " *",
      " * @since 0.3.0",
      " * @category tags",
      " */",
      `export const tags = { ${serviceNames.map((s) => `${s}: ${s}.${s}`).join(", ")} } as const`
    ].join("\n"),
    [
      "/**",
      ` * The ${serviceNames.length} services over the \`IntercomClient\` in context.`,
      " *",
      " * @since 0.1.0",
      " * @category layers",
      " */",
      `export const services: Layer.Layer<Services, never, IntercomClient.IntercomClient> = Layer.mergeAll(${serviceNames.map((s) => `${s}.layer`).join(", ")})`
    ].join("\n"),
    [
      "/**",
      " * All services and the one `IntercomClient` they share, from an `IntercomConfig` and an `HttpClient`.",
      " *",
      " * @since 0.1.0",
      " * @category layers",
      " */",
      "export const layer: Layer.Layer<Services | IntercomClient.IntercomClient, never, HttpClient.HttpClient | IntercomConfig.IntercomConfig> = Layer.provideMerge(services, IntercomClient.layer)"
    ].join("\n"),
    [
      "/**",
      " * All services and their client, configured through `Config` (by default `INTERCOM_ACCESS_TOKEN`,",
      " * `INTERCOM_REGION`, `INTERCOM_BASE_URL`; see `IntercomConfig.layerConfig`).",
      " *",
      " * @since 0.1.0",
      " * @category layers",
      " */",
      "export const layerConfig = (options?: IntercomConfig.ConfigOptions): Layer.Layer<Services | IntercomClient.IntercomClient, ConfigError.ConfigError, HttpClient.HttpClient> => Layer.provideMerge(services, IntercomClient.layerConfig(options))"
    ].join("\n")
  ].join("\n\n") + "\n"
