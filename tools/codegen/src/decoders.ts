/**
 * Prints the fast decoders: for every response schema, a function in straight-line code that takes a parsed JSON
 * value and returns the value the `Schema` would decode it to, or `Invalid`. It reads the same lowered types as
 * the `Schema` printer, and property tests in @intercom-effect/schemas hold the two equal.
 *
 * Why it is fast: a decoded response is the parsed value itself. Each field is one `typeof` test against a
 * monomorphic property load; nothing is copied unless a field needs converting (an id sent as a number, a count
 * sent as a string), and then only the objects on the path to it (copy on write), so the input is never mutated.
 */
import type { Prop, Type } from "./ir.js"
import type { Unit } from "./model.js"
import { propertyKey } from "./naming.js"

/** A pure test: an expression over the variable `v` that is true when its value decodes to itself. */
const pureTest = (type: Type, v: string): string | undefined => {
  switch (type.kind) {
    case "string":
      return type.lenientId ? undefined : `typeof ${v} === "string"`
    case "boolean":
      return `typeof ${v} === "boolean"`
    case "enum":
      return type.open
        ? `typeof ${v} === "string"`
        : type.values.map((value) => `${v} === ${JSON.stringify(value)}`).join(" || ")
    case "unknown":
      return "true"
    case "record":
      return type.value.kind === "unknown"
        ? `typeof ${v} === "object" && ${v} !== null && !Array.isArray(${v})`
        : undefined
    default:
      return undefined
  }
}

/** A converting leaf: the test that the variable `v` is already canonical, and the helper that converts it. */
const convertingLeaf = (
  type: Type,
  v: string
): { readonly canonical: string; readonly convert: string } | undefined => {
  if (type.kind === "string" && type.lenientId) return { canonical: `typeof ${v} === "string"`, convert: "id" }
  if (type.kind === "number" && type.lenient) return { canonical: `typeof ${v} === "number"`, convert: "number" }
  return undefined
}

const access = (name: string): string => {
  const key = propertyKey(name)
  return key === name ? `u.${name}` : `u[${key}]`
}

const assign = (name: string): string => {
  const key = propertyKey(name)
  return key === name ? `o.${name}` : `o[${key}]`
}

/** Names on Object.prototype: reading them from a plain object finds the prototype's value, not absence. */
const inherited = new Set(Object.getOwnPropertyNames(Object.prototype))

/** Prints the decoders of all response units into one module. */
export class DecoderPrinter {
  private readonly locals: Array<string> = []
  private readonly localNames = new Map<string, string>()
  /** Units already printed, by the shape of their type. */
  private readonly units = new Map<string, string>()
  readonly helpers = new Set<string>()

  /** The declaration of a unit's decoder, preceded by the local functions it needs. */
  unit(unit: Unit, type: Type): string {
    const doc = `/** The fast path of \`${unit.exportName}\` (\`${unit.component}\`). */`
    // The file declares some shapes twice under different names (translated content of articles and of
    // collections, ...): such units share one decoder.
    const shape = typeKey(type)
    const same = this.units.get(shape)
    if (same !== undefined) return `${doc}\nexport const ${unit.exportName}: Decode = ${same}`
    this.units.set(shape, unit.exportName)
    const body = this.functionBody(type, unit.exportName)
    const own = this.locals.splice(0)
    return [...own, `${doc}\nexport const ${unit.exportName}: Decode = ${body}`].join("\n\n")
  }

  /** A function expression `(u: unknown): unknown => ...` for a type. */
  private functionBody(type: Type, hint: string): string {
    switch (type.kind) {
      case "object":
        return this.objectBody(type.props, hint)
      case "union":
        return this.unionBody(type.members, hint)
      default:
        return `(u: unknown): unknown => ${this.call(type, "u", hint)}`
    }
  }

  /** A reference to a decoder function for a type (a helper, a unit, or a new local). */
  private fn(type: Type, hint: string): string {
    switch (type.kind) {
      case "ref":
        return type.unit.exportName
      case "string":
        return this.helper(type.lenientId ? "id" : "string")
      case "number":
        return this.helper(type.lenient ? "number" : "strictNumber")
      case "boolean":
        return this.helper("boolean")
      case "unknown":
        return this.helper("unknown")
      case "enum":
        if (type.open) return this.helper("string")
        break
      case "record":
        if (type.value.kind === "unknown") return this.helper("object")
        break
    }
    return this.local(type, hint)
  }

  private helper(name: string): string {
    this.helpers.add(name)
    return name
  }

  /** Hoists a decoder for an inline type into a named local function (shared when the same type recurs). */
  private local(type: Type, hint: string): string {
    const key = typeKey(type)
    const known = this.localNames.get(key)
    if (known !== undefined) return known
    let name = `${hint}$`
    for (let i = 2; [...this.localNames.values()].includes(name); i++) name = `${hint}$${i}`
    this.localNames.set(key, name)
    this.locals.push(`const ${name}: Decode = ${this.functionBody(type, name)}`)
    return name
  }

  /** An expression decoding `input` as `type`. */
  private call(type: Type, input: string, hint: string): string {
    switch (type.kind) {
      case "nullable":
        return `${input} === null ? null : ${this.call(type.type, input, hint)}`
      case "array":
        this.helpers.add("array")
        return `array(${input}, ${this.fn(type.item, `${hint}Item`)})`
      case "record":
        if (type.value.kind !== "unknown") {
          this.helpers.add("record")
          return `record(${input}, ${this.fn(type.value, `${hint}Value`)})`
        }
        return `${this.fn(type, hint)}(${input})`
      case "enum": {
        if (type.open) return `${this.fn(type, hint)}(${input})`
        this.helpers.add("Invalid")
        const test = type.values.map((value) => `${input} === ${JSON.stringify(value)}`).join(" || ")
        return `${test} ? ${input} : Invalid`
      }
      case "checked":
        throw new Error("size checks belong to requests, which have no fast decoder")
      default:
        return `${this.fn(type, hint)}(${input})`
    }
  }

  /**
   * Straight-line checks of each property, copying `u` into `o` only when a field changes. Property `i` is read into
   * `v<i>` (and converted into `r<i>`): property names are not always identifiers, and numbering keeps them from
   * shadowing the helpers.
   */
  private objectBody(props: ReadonlyArray<Prop>, hint: string): string {
    this.helpers.add("Invalid")
    this.helpers.add("isObject")
    // Only a field that may need converting (or filling in) needs the copy-on-write target `o`.
    const converts = props.some((p) => p.presence === "defaulted" || pureTest(unwrap(p.type).type, "v") === undefined)
    const lines = ["(u: unknown): unknown => {", "if (!isObject(u)) return Invalid", ...(converts ? ["let o = u"] : [])]
    props.forEach((prop, i) => {
      if (inherited.has(prop.name)) throw new Error(`${hint}.${prop.name}: a property named like an Object member`)
      const { type, allowNull } = unwrap(prop.type)
      const allowUndefined = prop.presence !== "required"
      if (type.kind === "unknown" && !allowUndefined) {
        // The Schema adds the key (as undefined) when it is missing; nothing in 2.10 needs that case.
        throw new Error(`${hint}.${prop.name}: a required property of unknown type`)
      }
      const v = `v${i}`
      const r = `r${i}`
      const absent = [...(allowUndefined ? [`${v} !== undefined`] : []), ...(allowNull ? [`${v} !== null`] : [])]
      const guard = (test: string): string => [negate(test, v), ...absent].join(" && ")
      const set = [`if (o === u) o = { ...u }`, `${assign(prop.name)} = ${r}`]
      const pure = pureTest(type, v)
      const leaf = convertingLeaf(type, v)
      if (prop.presence === "defaulted") {
        // Absence (and null, unless the type admits it) decodes as the one value the field can have.
        if (pure === undefined || prop.fallback === undefined) {
          throw new Error(`${hint}.${prop.name}: a default needs a plain test`)
        }
        lines.push(
          `const ${v} = ${access(prop.name)}`,
          `if (${allowNull ? `${v} === undefined` : `${v} === undefined || ${v} === null`}) {`,
          `if (o === u) o = { ...u }`,
          `${assign(prop.name)} = ${JSON.stringify(prop.fallback)}`,
          `} else if (${[negate(pure, v), ...(allowNull ? [`${v} !== null`] : [])].join(" && ")}) return Invalid`
        )
        return
      }
      if (pure === "true") return
      lines.push(`const ${v} = ${access(prop.name)}`)
      if (pure !== undefined) {
        lines.push(`if (${guard(pure)}) return Invalid`)
      } else if (leaf !== undefined) {
        this.helpers.add(leaf.convert)
        lines.push(
          `if (${guard(leaf.canonical)}) {`,
          `const ${r} = ${leaf.convert}(${v})`,
          `if (${r} === Invalid) return Invalid`,
          ...set,
          "}"
        )
      } else {
        const decode = this.call(type, v, `${hint}_${prop.name}`)
        const check = [
          `const ${r} = ${decode}`,
          `if (${r} === Invalid) return Invalid`,
          `if (${r} !== ${v}) {`,
          ...set,
          "}"
        ]
        lines.push(...(absent.length > 0 ? [`if (${absent.join(" && ")}) {`, ...check, "}"] : check))
      }
    })
    lines.push(converts ? "return o" : "return u", "}")
    return lines.join("\n")
  }

  /**
   * A union decodes like `Schema.Union`: members tagged by a literal field are looked up by its value first, the
   * others are tried in order, and the first that decodes wins.
   */
  private unionBody(members: ReadonlyArray<Type>, hint: string): string {
    this.helpers.add("Invalid")
    const tagged = members.map((m) => tagOf(m))
    const lines = ["(u: unknown): unknown => {"]
    const firstTag = tagged.find((t) => t !== undefined)
    if (firstTag !== undefined) {
      if (tagged.some((t) => t === undefined || t.key !== firstTag.key)) {
        throw new Error(`${hint}: a union mixing tagged and untagged members, or tagged by different fields`)
      }
      this.helpers.add("isObject")
      lines.push(`switch (isObject(u) ? u[${JSON.stringify(firstTag.key)}] : undefined) {`)
      members.forEach((member, i) => {
        lines.push(`case ${JSON.stringify(tagged[i]!.value)}:`, `return ${this.call(member, "u", `${hint}${i}`)}`)
      })
      lines.push("default:", "return Invalid", "}", "}")
      return lines.join("\n")
    }
    lines.push("let r: unknown")
    members.forEach((member, i) => {
      lines.push(`r = ${this.call(member, "u", `${hint}${i}`)}`, "if (r !== Invalid) return r")
    })
    lines.push("return Invalid", "}")
    return lines.join("\n")
  }
}

/** `typeof v === "x"` becomes `typeof v !== "x"`; anything else is wrapped in `!( )`. */
const negate = (test: string, v: string): string => {
  const typeofTest = new RegExp(`^typeof ${v} === ("\\w+")$`).exec(test)
  return typeofTest ? `typeof ${v} !== ${typeofTest[1]}` : `!(${test})`
}

/** A type's shape as text: equal shapes decode alike (a reference counts by the unit it names). */
const typeKey = (type: Type): string => JSON.stringify(type, (k, v: unknown) => (k === "unit" ? (v as Unit).key : v))

/** Splits `nullable` off a type. */
const unwrap = (type: Type): { readonly type: Type; readonly allowNull: boolean } =>
  type.kind === "nullable" ? { type: type.type, allowNull: true } : { type, allowNull: false }

/**
 * The literal field a union member is looked up by, as `Schema.Union` finds it: the first required property whose
 * type is a single literal. Nullable members and non-objects have none.
 */
const tagOf = (type: Type): { readonly key: string; readonly value: string } | undefined => {
  const object = type.kind === "ref" ? type.unit.lowered : type
  if (object === undefined || object.kind !== "object") return undefined
  for (const prop of object.props) {
    if (prop.presence === "required" && prop.type.kind === "enum" && !prop.type.open && prop.type.values.length === 1) {
      return { key: prop.name, value: prop.type.values[0]! }
    }
  }
  return undefined
}
