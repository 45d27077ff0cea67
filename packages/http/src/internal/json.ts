/**
 * What `JSON.stringify` cannot carry faithfully, found before a body is sent. It throws on a BigInt or a cycle (a
 * defect, not a typed error), and it changes other values without a word: NaN and ±Infinity become `null`, which
 * Intercom reads as "clear this attribute"; `undefined`, functions and symbols vanish from objects and become `null`
 * in arrays; a Map or a Set becomes `{}`; a Date becomes a string where Intercom wants unix seconds. Open maps
 * (`custom_attributes`, `metadata`) are `unknown` to their schemas, so only a walk over the encoded value sees these.
 *
 * @internal
 */
import { hasLoneSurrogate } from "./wellFormed.js"

/** A value that cannot be sent, and where it is (`custom_attributes.plan`, `tags[2].id`). @internal */
export interface JsonIssue {
  readonly path: ReadonlyArray<string | number>
  readonly issue: string
}

/** Deeper than any Intercom body; deep enough that a recursive walk stays far from the stack's end. */
const maxDepth = 256

const identifier = /^[A-Za-z_$][\w$]*$/

/** `custom_attributes.plan`, `tags[2].id`, `custom_attributes["a.b"]`; empty for the body itself. @internal */
export const formatPath = (path: ReadonlyArray<string | number>): string =>
  path
    .map((step, i) =>
      typeof step === "number"
        ? `[${step}]`
        : identifier.test(step)
          ? `${i === 0 ? "" : "."}${step}`
          : `[${JSON.stringify(step)}]`
    )
    .join("")

const isPlainObject = (u: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const kindOf = (u: object): string => {
  if (u instanceof Date) return "a Date, which JSON would send as a string (Intercom wants unix seconds as a number)"
  if (u instanceof Map || u instanceof Set) return `a ${u.constructor.name}, which JSON would send as {}`
  const name = (u.constructor as { readonly name?: unknown } | undefined)?.name
  return `an instance of ${typeof name === "string" && name !== "" ? name : "a class"}, not a plain object or array`
}

/**
 * The first value of `value` that JSON cannot carry as it is, if any. Reading the value may run a caller's getters
 * or proxies; what they throw is reported as the issue at the place they threw, never as a defect.
 *
 * @internal
 */
export const check = (value: unknown): JsonIssue | undefined => {
  const path: Array<string | number> = []
  const ancestors = new Set<object>()
  const at = (issue: string): JsonIssue => ({ path: [...path], issue })

  const visit = (u: unknown, inArray: boolean): JsonIssue | undefined => {
    switch (typeof u) {
      case "string":
        return hasLoneSurrogate(u) ? at("holds a lone surrogate, which is not valid Unicode") : undefined
      case "number":
        return Number.isFinite(u)
          ? undefined
          : at(`is ${u}, which JSON cannot carry (it would be sent as null, which clears the value)`)
      case "boolean":
        return undefined
      case "bigint":
        return at("is a BigInt, which JSON cannot carry: send a number or a string")
      case "undefined":
        // Left out of an object, as optional fields are; but in an array it would become null.
        return inArray ? at("is undefined, which JSON would send as null") : undefined
      case "function":
      case "symbol":
        return at(`is a ${typeof u}, which JSON ${inArray ? "would send as null" : "would leave out"}`)
    }
    if (u === null) return undefined
    const object = u as object
    if (ancestors.has(object)) return at("refers back to an object that contains it (a cycle), which JSON cannot carry")
    if (path.length >= maxDepth) return at(`is nested deeper than ${maxDepth} levels`)
    if (Array.isArray(object)) {
      ancestors.add(object)
      for (let i = 0; i < object.length; i++) {
        path.push(i)
        const issue = visit(object[i], true)
        path.pop()
        if (issue !== undefined) return issue
      }
      ancestors.delete(object)
      return undefined
    }
    if (!isPlainObject(object)) return at(`is ${kindOf(object)}`)
    ancestors.add(object)
    for (const key of Object.keys(object)) {
      path.push(key)
      const issue = hasLoneSurrogate(key)
        ? at("is a key holding a lone surrogate, which is not valid Unicode")
        : visit((object as Record<string, unknown>)[key], false)
      path.pop()
      if (issue !== undefined) return issue
    }
    ancestors.delete(object)
    return undefined
  }

  try {
    return visit(value, false)
  } catch (error) {
    return at(`could not be read: ${describeThrown(error)}`)
  }
}

/** What a caller's getter or proxy threw, without letting a hostile `message` or `toString` throw again. @internal */
export const describeThrown = (error: unknown): string => {
  try {
    return error instanceof Error ? String(error.message) : String(error)
  } catch {
    return "it threw"
  }
}
