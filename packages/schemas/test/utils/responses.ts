/**
 * Test helpers over every response schema: the list of them, and a sampler that builds, from a schema's AST, an
 * encoded value with every property present (including the optional ones), so a test can then null or remove each.
 */
import { isDeepStrictEqual } from "node:util"
import { Either, Option, Schema, SchemaAST } from "effect"
import { Decoder, schemas } from "../../src/index.js"

/** A generated response schema with its fast decoder. */
export interface ResponseSchema {
  readonly name: string
  readonly schema: Schema.Schema<unknown, unknown>
  readonly fast: Decoder.FastPath
}

/** Every generated schema that carries a fast decoder: exactly the response schemas. */
export const responseSchemas: ReadonlyArray<ResponseSchema> = Object.entries(schemas).flatMap(([name, s]) => {
  const schema = s as unknown as Schema.Schema<unknown, unknown>
  return Option.match(Decoder.fastPath(schema), {
    onNone: () => [],
    onSome: (fast) => [{ name, schema, fast }]
  })
})

/** Decodes with the Schema alone (the reference), as the client's fallback does. */
export const decodeWithSchema = (schema: Schema.Schema<unknown, unknown>) =>
  Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })

/** Decodes with the fast decoder alone: `Left(undefined)` when it rejects. */
export const decodeFast = (fast: Decoder.FastPath, u: unknown): Either.Either<unknown, undefined> => {
  const r = fast(u)
  return r === Decoder.Invalid ? Either.left(undefined) : Either.right(r)
}

/** Whether an AST is the `null` literal. */
export const isNullLiteral = (ast: SchemaAST.AST): boolean => SchemaAST.isLiteral(ast) && ast.literal === null

/**
 * An encoded value of `ast` with every property present. Unions take their first member that is not null (so
 * `NullOr(X)` gives an X, a lenient number gives a number); maps get one entry; arrays one item.
 */
export const sample = (ast: SchemaAST.AST, depth = 0): unknown => {
  if (depth > 60) throw new Error("sample: too deep (a recursive schema?)")
  switch (ast._tag) {
    case "TypeLiteral": {
      const out: Record<string, unknown> = {}
      for (const ps of ast.propertySignatures) out[String(ps.name)] = sample(ps.type, depth + 1)
      if (ast.propertySignatures.length === 0 && ast.indexSignatures.length > 0) {
        out["key"] = sample(ast.indexSignatures[0]!.type, depth + 1)
      }
      return out
    }
    case "Union":
      return sample(ast.types.find((t) => !isNullLiteral(t)) ?? ast.types[0]!, depth + 1)
    case "Literal":
      return ast.literal
    case "StringKeyword":
      return "text"
    case "NumberKeyword":
      return 1
    case "BooleanKeyword":
      return true
    case "UnknownKeyword":
    case "AnyKeyword":
      return "anything"
    case "UndefinedKeyword":
      return undefined
    case "TupleType":
      return ast.rest.length > 0 ? [sample(ast.rest[0]!.type, depth + 1)] : []
    case "Transformation":
      return sample(ast.from, depth + 1)
    case "Refinement":
      return sample(ast.from, depth + 1)
    case "Suspend":
      return sample(ast.f(), depth + 1)
    default:
      throw new Error(`sample: unsupported AST ${ast._tag}`)
  }
}

/**
 * The object a property's type holds, following the same choices as {@link sample} (first member that is not null,
 * the one item of an array), with the path to it: each array level adds index 0. `literal` is the encoded side the
 * sample is built from; `decoded` the type side, which differs where a transformation fills in defaults.
 */
export const objectAt = (
  ast: SchemaAST.AST,
  path: Path
):
  | { readonly literal: SchemaAST.TypeLiteral; readonly decoded: SchemaAST.TypeLiteral; readonly path: Path }
  | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast.propertySignatures.length > 0 ? { literal: ast, decoded: ast, path } : undefined
    case "Union": {
      const first = ast.types.find((t) => !isNullLiteral(t))
      return first === undefined ? undefined : objectAt(first, path)
    }
    case "TupleType":
      return ast.rest.length > 0 ? objectAt(ast.rest[0]!.type, [...path, 0]) : undefined
    case "Transformation": {
      const inner = objectAt(ast.from, path)
      return inner === undefined
        ? undefined
        : { ...inner, decoded: SchemaAST.isTypeLiteral(ast.to) ? ast.to : inner.decoded }
    }
    case "Suspend":
      return objectAt(ast.f(), path)
    default:
      return undefined
  }
}

/** A path into a sample: property names and (for arrays) index 0. */
export type Path = ReadonlyArray<string | number>

/**
 * The paths of every optional property, at the top level and inside the inline or referenced objects the sample
 * holds. `objects` are the paths of the objects themselves, where an unknown field can be added.
 */
export const optionalPaths = (
  ast: SchemaAST.AST
): { readonly optional: Array<Path>; readonly objects: Array<Path> } => {
  const optional: Array<Path> = []
  const objects: Array<Path> = []
  const visit = (type: SchemaAST.AST, path: Path, depth: number): void => {
    if (depth > 60) throw new Error("optionalPaths: too deep (a recursive schema?)")
    const found = objectAt(type, path)
    if (found === undefined) return
    objects.push(found.path)
    for (const ps of found.literal.propertySignatures) {
      const at = [...found.path, String(ps.name)]
      if (ps.isOptional) optional.push(at)
      visit(ps.type, at, depth + 1)
    }
  }
  visit(ast, [], 0)
  return { optional, objects }
}

/** A deep copy of `value` with `edit` applied to the container of `path`'s last step. */
export const editAt = (
  value: unknown,
  path: Path,
  edit: (container: Record<string | number, unknown>, key: string | number) => void
): unknown => {
  const copy = structuredClone(value)
  let node = copy as Record<string | number, unknown>
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>
  edit(node, path[path.length - 1]!)
  return copy
}

/** Reads the value at a path. */
export const getAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((node, step) => (node as Record<string | number, unknown>)[step], value)

/** One property the sample reaches: where it is, its encoded type, and whether the decoded type requires it. */
export interface Field {
  readonly path: Path
  readonly name: string
  readonly encoded: SchemaAST.AST
  readonly required: boolean
}

/** Every property of every object the sample of `ast` holds, at any depth. */
export const fieldsOf = (ast: SchemaAST.AST): Array<Field> => {
  const out: Array<Field> = []
  const visit = (type: SchemaAST.AST, path: Path, depth: number): void => {
    if (depth > 60) throw new Error("fieldsOf: too deep (a recursive schema?)")
    const found = objectAt(type, path)
    if (found === undefined) return
    for (const ps of found.literal.propertySignatures) {
      const at = [...found.path, String(ps.name)]
      const decoded = found.decoded.propertySignatures.find((p) => p.name === ps.name)
      out.push({ path: at, name: String(ps.name), encoded: ps.type, required: decoded?.isOptional === false })
      visit(ps.type, at, depth + 1)
    }
  }
  visit(ast, [], 0)
  return out
}

/** Decodes with both decoders, which must agree: the Schema's result, or what went wrong. */
export const decodeBoth = (
  { name, schema, fast }: ResponseSchema,
  input: unknown,
  label: string
): Either.Either<unknown, string> => {
  const reference = decodeWithSchema(schema)(input)
  const quick = decodeFast(fast, input)
  if (Either.isLeft(reference)) return Either.left(`${name} ${label}: the Schema rejects it: ${String(reference.left)}`)
  if (Either.isLeft(quick)) return Either.left(`${name} ${label}: the fast decoder rejects it`)
  if (!isDeepStrictEqual(quick.right, reference.right))
    return Either.left(`${name} ${label}: the two decoders disagree`)
  return Either.right(reference.right)
}
