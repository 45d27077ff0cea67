/**
 * From the (patched) spec to a model the emitter can walk: named schemas ("units") per mode, the operations
 * that use them, their dependencies, recursion and the module each unit lands in.
 */
import type { Type } from "./ir.js"
import { compareStrings, kebabCase, pascalCase, snakeCase } from "./naming.js"
import type { Node, Spec } from "./spec.js"

/** Requests encode strictly; responses decode tolerantly. A schema used by both is emitted twice. */
export type Mode = "request" | "response"

/** One emitted schema. */
export interface Unit {
  readonly key: string
  readonly component: string
  readonly mode: Mode
  readonly exportName: string
  readonly schema: Node
  readonly deps: Set<string>
  module: string
  recursive: boolean
  /** The strongly connected component (cycle) the unit belongs to, when recursive. */
  cycle: number | undefined
  /** Operations that use this unit directly as a request body or response (for doc links). */
  readonly usedBy: Set<string>
  /** Set by `x-external`: the schema is defined by a hand-written module of @intercom-effect/schemas. */
  readonly external: External | undefined
  /** The lowered type (see ir.ts), filled in before printing; undefined for external units. */
  lowered?: Type | undefined
}

/** A schema defined by hand: `module` below packages/schemas/src (no extension) and the export to use. */
export interface External {
  readonly module: string
  readonly name: string
}

const externalOf = (schema: Node): External | undefined => {
  const value = schema["x-external"]
  if (!isNode(value)) return undefined
  if (typeof value["module"] !== "string" || typeof value["name"] !== "string") {
    throw new Error(`x-external needs {module, name}: ${JSON.stringify(value)}`)
  }
  return { module: value["module"], name: value["name"] }
}

/** One parameter of an operation, as the operation table records it. */
export interface ParamInfo {
  readonly name: string
  readonly required: boolean
  readonly type: string
  /** The parameter's schema node, for the services' query types. */
  readonly schema: Node
}

/** One operation, as the operation table records it. */
export interface OperationModel {
  readonly operationId: string
  readonly method: string
  readonly path: string
  readonly tags: ReadonlyArray<string>
  readonly pathParams: ReadonlyArray<ParamInfo>
  readonly queryParams: ReadonlyArray<ParamInfo>
  readonly requestBody: string | null
  readonly responses: ReadonlyArray<readonly [status: string, component: string | null]>
}

/** The whole model. */
export interface Model {
  readonly spec: Spec
  readonly units: Map<string, Unit>
  readonly operations: ReadonlyArray<OperationModel>
  readonly requestBodies: ReadonlyArray<string>
  unitFor(component: string, mode: Mode): Unit
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const

export const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** `#/components/schemas/x` -> `x`. */
export const refName = (ref: string): string => {
  const prefix = "#/components/schemas/"
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`)
  return ref.slice(prefix.length)
}

/** Component names referenced anywhere inside a node (examples excluded). */
export const collectRefs = (node: unknown, into: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into)
  } else if (isNode(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") into.add(refName(value))
      else if (key !== "example" && key !== "examples") collectRefs(value, into)
    }
  }
  return into
}

const jsonSchemaOf = (content: unknown): Node | undefined => {
  if (!isNode(content)) return undefined
  const json = content["application/json"]
  if (!isNode(json)) return undefined
  return isNode(json["schema"]) ? json["schema"] : undefined
}

/** A `oneOf` with a single `$ref` says nothing more than the `$ref`. */
const unwrapSingle = (schema: Node): Node => {
  for (const key of ["oneOf", "anyOf"] as const) {
    const members = schema[key]
    if (Array.isArray(members) && members.length === 1 && Object.keys(schema).length === 1) {
      const only: unknown = members[0]
      if (isNode(only) && typeof only["$ref"] === "string") return only
    }
  }
  return schema
}

/** Names an inline body/response schema by lifting it into components under a synthetic name. */
const liftSchema = (spec: Spec, schema: Node, syntheticName: string): string => {
  const unwrapped = unwrapSingle(schema)
  if (typeof unwrapped["$ref"] === "string" && Object.keys(unwrapped).length === 1) return refName(unwrapped["$ref"])
  if (spec.components.schemas[syntheticName] !== undefined) {
    throw new Error(`synthetic schema name ${syntheticName} collides with a component schema`)
  }
  spec.components.schemas[syntheticName] = unwrapped
  return syntheticName
}

/**
 * The paging parameters' ranges, which Intercom enforces on every list although the file states them once at most:
 * `page` is a whole number from 1, and `per_page` one from 1 to 150 (the cap of every list), unless the operation's
 * own schema (or an override) says less. A query is checked against them before it is sent, as a body is.
 */
export const pagingLimits: Readonly<Record<string, { readonly minimum: number; readonly maximum?: number }>> = {
  page: { minimum: 1 },
  per_page: { minimum: 1, maximum: 150 }
}

const paramInfo = (param: Node, location: "path" | "query"): ParamInfo => {
  const declared = isNode(param["schema"]) ? param["schema"] : {}
  const name = String(param["name"])
  const limits = location === "query" ? pagingLimits[name] : undefined
  const schema = limits === undefined ? declared : { type: "integer", ...limits, ...declared }
  const type = typeof schema["type"] === "string" ? schema["type"] : "string"
  return { name, required: param["required"] === true, type, schema }
}

/** Reads operations, lifting inline bodies/responses into components (the spec passed in is mutated). */
const readOperations = (spec: Spec): Array<OperationModel> => {
  const operations: Array<OperationModel> = []
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method]
      if (!isNode(op)) continue
      const operationId = String(op["operationId"])
      const tags = Array.isArray(op["tags"]) ? op["tags"].map(String) : []
      const params = Array.isArray(op["parameters"]) ? op["parameters"].filter(isNode) : []
      const pathParams = params.filter((p) => p["in"] === "path").map((p) => paramInfo(p, "path"))
      const queryParams = params.filter((p) => p["in"] === "query").map((p) => paramInfo(p, "query"))
      const body = isNode(op["requestBody"]) ? jsonSchemaOf(op["requestBody"]["content"]) : undefined
      const requestBody = body ? liftSchema(spec, body, `${snakeCase(operationId)}_request`) : null
      const responses: Array<readonly [string, string | null]> = []
      const declared = isNode(op["responses"]) ? op["responses"] : {}
      for (const status of Object.keys(declared).sort(compareStrings)) {
        const response = declared[status]
        const schema = isNode(response) ? jsonSchemaOf(response["content"]) : undefined
        // Only createConversation has an inline response today; the status suffix is kept for any second one.
        const inlineCount = responses.filter(([, c]) => c?.startsWith(`${snakeCase(operationId)}_response`)).length
        const synthetic = `${snakeCase(operationId)}_response${inlineCount === 0 ? "" : `_${status}`}`
        responses.push([status, schema ? liftSchema(spec, schema, synthetic) : null])
      }
      operations.push({
        operationId,
        method: method.toUpperCase(),
        path,
        tags,
        pathParams,
        queryParams,
        requestBody,
        responses
      })
    }
  }
  return operations.sort((a, b) => compareStrings(a.operationId, b.operationId))
}

/** Tarjan's strongly connected components; marks units that take part in a cycle. */
const markRecursion = (units: Map<string, Unit>): void => {
  let index = 0
  let cycles = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: Array<string> = []
  const onStack = new Set<string>()
  const visit = (key: string): void => {
    indices.set(key, index)
    low.set(key, index)
    index++
    stack.push(key)
    onStack.add(key)
    for (const dep of units.get(key)!.deps) {
      if (!indices.has(dep)) {
        visit(dep)
        low.set(key, Math.min(low.get(key)!, low.get(dep)!))
      } else if (onStack.has(dep)) {
        low.set(key, Math.min(low.get(key)!, indices.get(dep)!))
      }
    }
    if (low.get(key) === indices.get(key)) {
      const component: Array<string> = []
      let member: string | undefined
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== key)
      const selfLoop = units.get(key)!.deps.has(key)
      if (component.length > 1 || selfLoop) {
        const cycle = cycles++
        for (const m of component) {
          units.get(m)!.recursive = true
          units.get(m)!.cycle = cycle
        }
      }
    }
  }
  for (const key of [...units.keys()].sort(compareStrings)) if (!indices.has(key)) visit(key)
}

/** The module (file path under generated/, without extension) for a tag. */
export const moduleForTag = (tag: string): string => kebabCase(tag)

/** The module for schemas that belong to several domains. */
export const COMMON_MODULE = "shared/common"

/**
 * Assigns modules: a schema's own `x-tags`, else the domains of the operations and schemas that use it; one
 * domain -> that domain's module, several -> shared/common. Then breaks module cycles by moving schemas (with
 * everything they need) to shared/common, since ES module cycles between `const`s fail at load time.
 */
const assignModules = (units: Map<string, Unit>, operations: ReadonlyArray<OperationModel>, spec: Spec): void => {
  const owners = new Map<string, Set<string>>()
  const fixed = new Set<string>()
  for (const unit of units.values()) {
    owners.set(unit.key, new Set())
    const xTags = unit.schema["x-tags"]
    if (Array.isArray(xTags) && xTags.length > 0) {
      owners.get(unit.key)!.add(String(xTags[0]))
      fixed.add(unit.key)
    }
  }
  for (const op of operations) {
    const tag = op.tags[0]
    if (tag === undefined) continue
    const keys = [
      ...(op.requestBody ? [`request:${op.requestBody}`] : []),
      ...op.responses.flatMap(([, c]) => (c ? [`response:${c}`] : []))
    ]
    for (const key of keys) if (!fixed.has(key)) owners.get(key)?.add(tag)
  }
  let changed = true
  while (changed) {
    changed = false
    for (const unit of units.values()) {
      for (const dep of unit.deps) {
        if (fixed.has(dep)) continue
        const target = owners.get(dep)!
        for (const tag of owners.get(unit.key)!) {
          if (!target.has(tag)) {
            target.add(tag)
            changed = true
          }
        }
      }
    }
  }
  const tagNames = new Set((spec.tags ?? []).map((t) => t.name))
  for (const unit of units.values()) {
    const tags = [...owners.get(unit.key)!].filter((t) => tagNames.size === 0 || tagNames.has(t))
    unit.module = tags.length === 1 ? moduleForTag(tags[0]!) : COMMON_MODULE
  }
  // Whatever shared/common holds must only need shared/common.
  const moveToCommon = (key: string): void => {
    const unit = units.get(key)!
    if (unit.module === COMMON_MODULE) return
    unit.module = COMMON_MODULE
    for (const dep of unit.deps) moveToCommon(dep)
  }
  for (const unit of [...units.values()]) if (unit.module === COMMON_MODULE) for (const d of unit.deps) moveToCommon(d)
  for (;;) {
    const cycle = findModuleCycleEdge(units)
    if (cycle === undefined) break
    moveToCommon(cycle)
  }
}

/** Returns the key of a unit that is the target of an edge on a module cycle, or undefined. */
const findModuleCycleEdge = (units: Map<string, Unit>): string | undefined => {
  const edges = new Map<string, Map<string, string>>()
  for (const unit of [...units.values()].sort((a, b) => compareStrings(a.key, b.key))) {
    for (const dep of [...unit.deps].sort(compareStrings)) {
      const target = units.get(dep)!
      if (target.module === unit.module) continue
      if (!edges.has(unit.module)) edges.set(unit.module, new Map())
      const out = edges.get(unit.module)!
      if (!out.has(target.module)) out.set(target.module, dep)
    }
  }
  const state = new Map<string, "visiting" | "done">()
  let found: string | undefined
  const visit = (module: string): void => {
    state.set(module, "visiting")
    for (const [next, via] of [...(edges.get(module) ?? new Map<string, string>())].sort((a, b) =>
      compareStrings(a[0], b[0])
    )) {
      if (found !== undefined) return
      const s = state.get(next)
      if (s === "visiting") found = via
      else if (s === undefined) visit(next)
    }
    state.set(module, "done")
  }
  for (const module of [...edges.keys()].sort(compareStrings)) {
    if (found !== undefined) break
    if (!state.has(module)) visit(module)
  }
  return found
}

/** Builds the model; `spec` must already carry the overrides and is mutated (inline schemas are lifted). */
export const buildModel = (spec: Spec): Model => {
  const operations = readOperations(spec)
  const schemas = spec.components.schemas
  const requestRoots = new Set<string>()
  const responseRoots = new Set<string>()
  const usedBy = new Map<string, Set<string>>()
  const use = (key: string, operationId: string): void => {
    if (!usedBy.has(key)) usedBy.set(key, new Set())
    usedBy.get(key)!.add(operationId)
  }
  for (const op of operations) {
    if (op.requestBody) {
      requestRoots.add(op.requestBody)
      use(`request:${op.requestBody}`, op.operationId)
    }
    for (const [, component] of op.responses) {
      if (component) {
        responseRoots.add(component)
        use(`response:${component}`, op.operationId)
      }
    }
  }
  const reach = (roots: Set<string>): Set<string> => {
    const seen = new Set<string>()
    const go = (name: string): void => {
      if (seen.has(name)) return
      if (schemas[name] === undefined) throw new Error(`dangling $ref to ${name}: add an override`)
      seen.add(name)
      // A hand-written schema brings its own parts: the file's version of them is not generated.
      if (externalOf(schemas[name]) !== undefined) return
      for (const dep of collectRefs(schemas[name])) go(dep)
    }
    for (const root of roots) go(root)
    return seen
  }
  const requestSet = reach(requestRoots)
  const responseSet = reach(responseRoots)
  // Schemas no operation uses still get emitted: `_request` ones as requests, the rest as responses.
  for (const name of Object.keys(schemas)) {
    if (!requestSet.has(name) && !responseSet.has(name)) {
      for (const dep of reach(new Set([name]))) {
        if (name.endsWith("_request")) requestSet.add(dep)
        else if (!requestSet.has(dep) || responseSet.has(dep)) responseSet.add(dep)
      }
    }
  }
  const units = new Map<string, Unit>()
  const names = new Map<string, string>()
  const addUnit = (component: string, mode: Mode): void => {
    const schema = schemas[component]!
    const base = typeof schema["x-name"] === "string" ? schema["x-name"] : pascalCase(component)
    const exportName = mode === "request" && responseSet.has(component) ? `${base}Input` : base
    const key = `${mode}:${component}`
    const clash = names.get(exportName)
    if (clash !== undefined) throw new Error(`export name ${exportName} used by ${clash} and ${key}`)
    names.set(exportName, key)
    const external = externalOf(schema)
    const deps = new Set(external ? [] : [...collectRefs(schema)].map((dep) => `${mode}:${dep}`))
    units.set(key, {
      key,
      component,
      mode,
      exportName,
      schema,
      deps,
      module: COMMON_MODULE,
      recursive: false,
      cycle: undefined,
      usedBy: usedBy.get(key) ?? new Set(),
      external
    })
  }
  for (const name of [...requestSet].sort(compareStrings)) addUnit(name, "request")
  for (const name of [...responseSet].sort(compareStrings)) addUnit(name, "response")
  markRecursion(units)
  assignModules(units, operations, spec)
  return {
    spec,
    units,
    operations,
    requestBodies: [...requestRoots].sort(compareStrings),
    unitFor: (component, mode) => {
      const unit = units.get(`${mode}:${component}`)
      if (!unit) throw new Error(`no ${mode} unit for ${component}`)
      return unit
    }
  }
}
