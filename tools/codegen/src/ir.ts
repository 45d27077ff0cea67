/**
 * From spec nodes to a small type algebra that both printers read: the `Schema` printer (emit.ts) and the fast
 * decoder printer (decoders.ts). Lowering once and printing twice is what keeps the two in step: every rule below
 * (which fields are required, which accept null, which ids and numbers decode leniently) is decided here, and
 * nowhere else.
 *
 * The response rules, applied to every response schema:
 * - a property that is not always present may be absent **or null**;
 * - numbers also decode from their lossless decimal string (`"100"`), and ids (`id`, `*_id`, items of `*_ids`)
 *   declared as strings also decode from an integer;
 * - enums stay open (unknown values are kept as strings) unless they tell the members of a union apart;
 * - objects keep the fields they do not name (an index signature of `unknown`);
 * - `type` and `id` are required on named objects that have an `id` (an entity always says what and which it is),
 *   plus what `required` / `x-response-required` say, minus `x-response-optional`; but where the file lists the
 *   required fields of a schema itself, that list is the authority and `type`/`id` are not added to it (real list
 *   events of GET /events come without the `id` that the file, rightly, does not require);
 * - a required enum also accepts null, decoded as null: real traffic sends null where the file says "one of these"
 *   (a conversation's `source.type`), and one such field must not fail a whole page;
 * - a required `type` that is a constant (a one-value enum) may be absent or null and decodes as that constant: a
 *   nested reference often leaves out what its place already says (`companies.data[]` of a contact), and nothing is
 *   lost by filling in the only value it could have had.
 * Enums that tell union members apart stay strict and required: they are how a union decodes.
 * Requests follow the file as written and encode strictly.
 */
import { isNode, type Mode, type Model, refName, type Unit } from "./model.js"
import type { Node } from "./spec.js"

/** A size limit a request value is checked against (`Schema.minItems(1)`, ...). */
export interface Check {
  readonly filter: "minItems" | "maxItems" | "minLength" | "maxLength"
  readonly value: number
}

/** How a property may be left out. */
export type Presence =
  /** Must be there. */
  | "required"
  /** Requests: may be left out, but not set to `undefined` (`Schema.optionalWith(x, { exact: true })`). */
  | "exact"
  /** Responses: may be left out (`Schema.optional(x)`). */
  | "optional"
  /**
   * Responses: may be left out, and decodes as `Prop.fallback` then (a constant `type`); null too, unless the type
   * itself admits null.
   */
  | "defaulted"

/** One property of an object. */
export interface Prop {
  readonly name: string
  readonly type: Type
  readonly presence: Presence
  /** The value a `defaulted` property decodes to when it is absent (or null, see `defaulted`). */
  readonly fallback?: string
}

/** The type algebra. */
export type Type =
  | { readonly kind: "string"; readonly lenientId: boolean }
  | { readonly kind: "number"; readonly integer: boolean; readonly lenient: boolean }
  | { readonly kind: "boolean" }
  | { readonly kind: "enum"; readonly values: ReadonlyArray<string>; readonly open: boolean }
  | { readonly kind: "array"; readonly item: Type }
  | { readonly kind: "record"; readonly value: Type; readonly safeKeys: boolean }
  | { readonly kind: "object"; readonly props: ReadonlyArray<Prop>; readonly open: boolean }
  | { readonly kind: "union"; readonly members: ReadonlyArray<Type> }
  | { readonly kind: "ref"; readonly unit: Unit }
  | { readonly kind: "nullable"; readonly type: Type }
  | { readonly kind: "checked"; readonly type: Type; readonly checks: ReadonlyArray<Check> }
  | { readonly kind: "unknown" }

const stringList = (value: unknown): Array<string> => (Array.isArray(value) ? value.map(String) : [])

/** Property names that hold ids: their string form also decodes from an integer in responses. */
export const isIdName = (name: string): boolean => name === "id" || name.endsWith("_id")

/** Property names that hold lists of ids. */
const isIdListName = (name: string): boolean => name.endsWith("_ids")

/** Merges `allOf` members (and the node's own properties) into one object node. */
export const mergeAllOf = (model: Model, node: Node): Node => {
  const members = Array.isArray(node["allOf"]) ? node["allOf"].filter(isNode) : []
  const properties: Record<string, unknown> = {}
  const required = new Set<string>()
  const extra: Node = {}
  for (const member of members) {
    const resolved =
      typeof member["$ref"] === "string" ? model.spec.components.schemas[refName(member["$ref"])]! : member
    const merged = resolved["allOf"] ? mergeAllOf(model, resolved) : resolved
    Object.assign(properties, isNode(merged["properties"]) ? merged["properties"] : {})
    for (const r of stringList(merged["required"])) required.add(r)
    for (const key of ["x-response-required", "x-response-optional"]) {
      extra[key] = [...stringList(extra[key]), ...stringList(merged[key])]
    }
  }
  Object.assign(properties, isNode(node["properties"]) ? node["properties"] : {})
  for (const r of stringList(node["required"])) required.add(r)
  const { allOf: _allOf, ...rest } = node
  return {
    ...rest,
    ...extra,
    "x-response-required": [...stringList(extra["x-response-required"]), ...stringList(node["x-response-required"])],
    "x-response-optional": [...stringList(extra["x-response-optional"]), ...stringList(node["x-response-optional"])],
    type: "object",
    properties,
    required: [...required]
  }
}

/** `allOf: [$ref]` with nothing of its own is that `$ref`. */
export const isBareAllOfRef = (node: Node): boolean => {
  const members = node["allOf"]
  if (!Array.isArray(members) || members.length !== 1 || !isNode(members[0]) || !members[0]["$ref"]) return false
  return !node["properties"] && !node["required"]
}

/** `anyOf`/`oneOf` members that only state which properties are required. */
export const requiredVariants = (node: Node): Array<Node> | undefined => {
  if (!isNode(node["properties"])) return undefined
  for (const key of ["anyOf", "oneOf"] as const) {
    const members = node[key]
    if (
      Array.isArray(members) &&
      members.every((m) => isNode(m) && !m["$ref"] && !m["properties"] && !m["type"] && Array.isArray(m["required"]))
    ) {
      return members.filter(isNode)
    }
  }
  return undefined
}

const enumValues = (node: Node): { values: Array<string>; hasNull: boolean } | undefined => {
  const values = node["enum"]
  if (!Array.isArray(values)) return undefined
  return { values: values.filter((v) => v !== null).map(String), hasNull: values.includes(null) }
}

const nullable = (type: Type): Type => (type.kind === "nullable" ? type : { kind: "nullable", type })

/** Makes the string ids inside a property's type lenient (through null and, for `*_ids`, arrays). */
const lenientIds = (type: Type, list: boolean): Type => {
  switch (type.kind) {
    case "string":
      return list ? type : { kind: "string", lenientId: true }
    case "nullable":
      return { kind: "nullable", type: lenientIds(type.type, list) }
    case "array":
      return list ? { kind: "array", item: lenientIds(type.item, false) } : type
    default:
      return type
  }
}

/**
 * Union-member fields that hold a distinct single literal in every member. They stay strict literals (and required)
 * in the members, so a union decodes by them instead of trying each member in turn.
 */
export const discriminatorsOf = (model: Model, mode: Mode, members: ReadonlyArray<Node>): Set<string> => {
  const resolved = members.map((m) => {
    if (typeof m["$ref"] === "string") {
      const s = model.unitFor(refName(m["$ref"]), mode).schema
      return s["allOf"] ? mergeAllOf(model, s) : s
    }
    return m["allOf"] ? mergeAllOf(model, m) : m
  })
  const result = new Set<string>()
  if (resolved.length < 2) return result
  const first = resolved[0]!
  const props = isNode(first["properties"]) ? Object.keys(first["properties"]) : []
  for (const prop of props) {
    const literals = resolved.map((r) => {
      const p = isNode(r["properties"]) ? r["properties"][prop] : undefined
      const e = isNode(p) ? enumValues(p) : undefined
      return e && e.values.length === 1 ? e.values[0] : undefined
    })
    if (literals.every((l) => l !== undefined) && new Set(literals).size === literals.length) result.add(prop)
  }
  return result
}

/** Lowers the nodes of one unit. */
export class Lowering {
  constructor(
    readonly model: Model,
    readonly unit: Unit,
    /** Discriminator fields per unit key (see {@link discriminatorsOf}). */
    readonly strictProps: ReadonlyMap<string, ReadonlySet<string>>
  ) {}

  get mode(): Mode {
    return this.unit.mode
  }

  target(node: Node): Unit {
    return this.model.unitFor(refName(String(node["$ref"])), this.mode)
  }

  /**
   * Whether a node admits null. A `$ref` to a schema that is nullable as a whole (35 of them, e.g. admin,
   * ticket) makes a property nullable, but not an array item or union member: lists do not hold nulls.
   */
  nullable(node: Node, asProperty = false): boolean {
    if (node["nullable"] === true) return true
    if (enumValues(node)?.hasNull) return true
    if (asProperty && typeof node["$ref"] === "string") return this.target(node).schema["nullable"] === true
    if (isBareAllOfRef(node)) return this.nullable((node["allOf"] as Array<Node>)[0]!, asProperty)
    return false
  }

  withNull(node: Node, type: Type, asProperty = false): Type {
    return this.nullable(node, asProperty) ? nullable(type) : type
  }

  /** The whole unit. */
  root(): Type {
    const { schema } = this.unit
    const node = schema["allOf"] && !isBareAllOfRef(schema) ? mergeAllOf(this.model, schema) : schema
    const strict = this.strictProps.get(this.unit.key) ?? new Set<string>()
    if (isNode(node["properties"]) && Object.keys(node["properties"]).length > 0 && !requiredVariants(node)) {
      return this.struct(node, this.required(node, true, strict), strict)
    }
    return this.type(node)
  }

  /** A node, without its own nullability; requests also carry the spec's size limits. */
  type(node: Node, strictEnum = false): Type {
    const base = this.base(node, strictEnum)
    if (this.mode !== "request") return base
    const checks: Array<Check> = []
    for (const filter of ["minItems", "maxItems", "minLength", "maxLength"] as const) {
      const value = node[filter]
      if (typeof value === "number") checks.push({ filter, value })
    }
    return checks.length === 0 ? base : { kind: "checked", type: base, checks }
  }

  base(node: Node, strictEnum: boolean): Type {
    if (typeof node["$ref"] === "string") return { kind: "ref", unit: this.target(node) }
    if (isBareAllOfRef(node)) return this.type((node["allOf"] as Array<Node>)[0]!)
    if (node["allOf"]) return this.object(mergeAllOf(this.model, node))
    const e = enumValues(node)
    if (e) return { kind: "enum", values: e.values, open: this.mode === "response" && !strictEnum }
    const union = (node["oneOf"] ?? node["anyOf"]) as unknown
    if (Array.isArray(union) && !node["properties"]) {
      const members = union.filter(isNode)
      const strict = discriminatorsOf(this.model, this.mode, members)
      const types = members.map((m) => this.withNull(m, this.member(m, strict)))
      return types.length === 1 ? types[0]! : { kind: "union", members: types }
    }
    switch (node["type"]) {
      case "string":
        return { kind: "string", lenientId: false }
      case "integer":
      case "number":
        return {
          kind: "number",
          integer: node["type"] === "integer" && this.mode === "request",
          lenient: this.mode === "response"
        }
      case "boolean":
        return { kind: "boolean" }
      case "array": {
        const items = isNode(node["items"]) ? node["items"] : {}
        return { kind: "array", item: this.withNull(items, this.type(items)) }
      }
    }
    if (node["type"] === "object" || node["properties"]) return this.object(node)
    return { kind: "unknown" }
  }

  member(member: Node, strict: Set<string>): Type {
    if (typeof member["$ref"] === "string" || !(member["properties"] || member["allOf"])) return this.type(member)
    return this.object(member["allOf"] ? mergeAllOf(this.model, member) : member, strict)
  }

  /** Required fields; the response rules of the module comment apply to named objects, not to inline ones. */
  required(node: Node, named = false, strict: ReadonlySet<string> = new Set()): Set<string> {
    const required = new Set(stringList(node["required"]))
    if (this.mode === "response") {
      const props = isNode(node["properties"]) ? node["properties"] : {}
      // A schema that lists its required fields has said which ones Intercom always sends.
      if (named && "id" in props && required.size === 0) {
        required.add("id")
        if ("type" in props) required.add("type")
      }
      for (const field of strict) required.add(field)
      if (named) {
        for (const field of stringList(node["x-response-required"])) required.add(field)
        for (const field of stringList(node["x-response-optional"])) required.delete(field)
      }
    }
    return required
  }

  /** The properties of an object node. */
  props(node: Node, required: ReadonlySet<string>, strict: ReadonlySet<string>): Array<Prop> {
    const props = isNode(node["properties"]) ? node["properties"] : {}
    return Object.entries(props).map(([name, raw]): Prop => {
      const prop = isNode(raw) ? raw : {}
      let type = this.withNull(prop, this.type(prop, strict.has(name)), true)
      const isRequired = required.has(name)
      if (this.mode === "response") {
        if (isIdName(name) || isIdListName(name)) type = lenientIds(type, isIdListName(name))
        // Not always sent, so also sent as null: real traffic does both.
        if (!isRequired) type = nullable(type)
        // Open enums are the ones that are not a union's tag (see `discriminatorsOf`).
        const openEnum = type.kind === "nullable" ? type.type : type
        if (isRequired && openEnum.kind === "enum" && openEnum.open) {
          // Where the file itself allows null for a constant `type`, null keeps meaning null; only absence is filled.
          if (name === "type" && openEnum.values.length === 1) {
            return { name, type, presence: "defaulted", fallback: openEnum.values[0]! }
          }
          type = nullable(type)
        }
      }
      return { name, type, presence: isRequired ? "required" : this.mode === "response" ? "optional" : "exact" }
    })
  }

  struct(node: Node, required: ReadonlySet<string>, strict: ReadonlySet<string>): Type {
    return { kind: "object", props: this.props(node, required, strict), open: this.mode === "response" }
  }

  /** An inline object: a struct, a map, or a union of required-variants. */
  object(node: Node, strict: ReadonlySet<string> = new Set()): Type {
    const variants = requiredVariants(node)
    if (variants) {
      return {
        kind: "union",
        members: variants.map((v) =>
          this.struct(node, new Set([...this.required(node), ...stringList(v["required"])]), strict)
        )
      }
    }
    const props = isNode(node["properties"]) ? node["properties"] : undefined
    if (!props || Object.keys(props).length === 0) {
      const additional = node["additionalProperties"]
      const value: Type = isNode(additional) ? this.withNull(additional, this.type(additional)) : { kind: "unknown" }
      // Request maps refuse the one key an object cannot hold as data (see internal/strict.ts).
      return { kind: "record", value, safeKeys: this.mode === "request" }
    }
    return this.struct(node, this.required(node, false, strict), strict)
  }
}
