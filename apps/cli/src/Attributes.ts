/**
 * `intercom attributes codegen`: the workspace's custom data attributes (`DataAttributes.list`) as a TypeScript
 * module holding one `Schema.Struct`, ready for `contacts.withAttributes(...)` / `companies.withAttributes(...)`.
 *
 *   intercom attributes codegen --model contact --out src/ContactAttributes.ts
 *
 * Each attribute becomes an optional, nullable field (an attribute nobody set is absent or null, and writing null
 * clears it) under its own name, quoted when it is not an identifier (Intercom allows spaces, a leading digit, ...):
 * string (a `Schema.Literal` of its options for a list attribute), integer (`Schema.Int`), float (`Schema.Finite`),
 * boolean, and date as unix seconds (`Schema.Int`). A type the generator does not know is `Schema.Unknown`, said on
 * stderr. Archived attributes are left out. The output depends only on the attributes, so it can be checked in and
 * regenerated to see what changed.
 */
import { Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import type { DataAttribute } from "@intercom-effect/schemas"
import { DataAttributes } from "@intercom-effect/services"
import { Console, Effect, Option } from "effect"
import * as Global from "./Global.js"

/** The models data attributes describe. */
export type Model = "contact" | "company" | "conversation"

const defaultNames: Readonly<Record<Model, string>> = {
  contact: "ContactAttributes",
  company: "CompanyAttributes",
  conversation: "ConversationAttributes"
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A property key as TypeScript reads it: bare when it is an identifier, else a string literal. */
const key = (name: string) => (identifier.test(name) ? name : JSON.stringify(name))

/** Text from the workspace, made safe inside a JSDoc comment on one line. */
const comment = (text: string) => text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim()

/** The schema of one attribute's values, or undefined for a data type this generator does not know. */
const valueSchema = (attribute: DataAttribute): string | undefined => {
  switch (attribute.data_type) {
    case "string": {
      const options = attribute.options ?? []
      return options.length > 0
        ? `Schema.Literal(${options.map((o) => JSON.stringify(o)).join(", ")})`
        : "Schema.String"
    }
    case "integer":
      return "Schema.Int"
    case "float":
      // JSON cannot carry NaN or Infinity: JSON.stringify would send them as null.
      return "Schema.Finite"
    case "boolean":
      return "Schema.Boolean"
    case "date":
      return "Schema.Int"
    default:
      return undefined
  }
}

/** What `render` returns: the module, and the attributes typed `unknown` for want of a known data type. */
export interface Rendered {
  readonly module: string
  readonly unknownTypes: ReadonlyArray<{ readonly name: string; readonly dataType: string }>
}

/**
 * The module for the custom, non-archived attributes of `model` among `attributes`, exported as `exportName`.
 * Deterministic: attributes sorted by name, nothing from the clock.
 */
export const render = (attributes: ReadonlyArray<DataAttribute>, model: Model, exportName: string): Rendered => {
  const chosen = attributes
    .filter((a) => a.model === model && a.custom === true && a.archived !== true && typeof a.name === "string")
    .sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0))
  const unknownTypes: Array<{ name: string; dataType: string }> = []
  const fields = chosen.map((attribute) => {
    const name = attribute.name!
    const dataType = attribute.data_type ?? "unknown"
    const schema = valueSchema(attribute)
    if (schema === undefined) unknownTypes.push({ name, dataType })
    const notes = [
      dataType === "date" ? "date, as unix seconds" : dataType,
      ...(attribute.api_writable === false ? ["not writable through the API"] : []),
      ...(schema === undefined ? ["a data type this generator does not know, so left unknown"] : [])
    ]
    const label = attribute.label ?? attribute.description
    const doc = [...(label ? [comment(label)] : []), `(${notes.join("; ")})`].join(" ")
    return `  /** ${doc} */\n  ${key(name)}: Schema.optional(Schema.NullOr(${schema ?? "Schema.Unknown"}))`
  })
  const module = [
    "/**",
    ` * The custom data attributes of the ${model}s of an Intercom workspace, for`,
    ` * \`${model === "company" ? "companies" : "contacts"}.withAttributes(${exportName})\` of @intercom-effect/services.`,
    " *",
    ` * Written by \`intercom attributes codegen --model ${model}\` from the workspace's data attributes: run it again`,
    " * when they change rather than editing this file.",
    " */",
    'import { Schema } from "effect"',
    "",
    `/** The ${model} attributes: each absent or null until set. */`,
    `export const ${exportName} = Schema.Struct({${fields.length > 0 ? `\n${fields.join(",\n")}\n` : ""}})`,
    "",
    `/** The attributes of a ${model}, as read. */`,
    `export type ${exportName} = Schema.Schema.Type<typeof ${exportName}>`,
    ""
  ].join("\n")
  return { module, unknownTypes }
}

const model = Options.choice("model", ["contact", "company", "conversation"]).pipe(
  Options.withDescription("whose attributes: contact (users and leads), company or conversation"),
  Options.withDefault("contact" as Model)
)

const exportName = Options.text("name").pipe(
  Options.withDescription("the name of the exported schema (default: ContactAttributes, CompanyAttributes, ...)"),
  Options.mapEffect((name) =>
    identifier.test(name)
      ? Effect.succeed(name)
      : Effect.fail(
          ValidationError.invalidValue(HelpDoc.p(`--name must be a TypeScript identifier, got ${JSON.stringify(name)}`))
        )
  ),
  Options.optional
)

const out = Options.file("out").pipe(
  Options.withDescription("the module to write (default: print it)"),
  Options.optional
)

/** `intercom attributes codegen`. */
const codegen = Command.make("codegen", { model, exportName, out }, (args) =>
  Global.withRoot(() =>
    Effect.gen(function* () {
      const service = yield* DataAttributes.DataAttributes
      const list = yield* service.list({ model: args.model })
      const rendered = render(
        list.data,
        args.model,
        Option.getOrElse(args.exportName, () => defaultNames[args.model])
      )
      for (const { dataType, name } of rendered.unknownTypes) {
        yield* Console.error(`attribute ${JSON.stringify(name)} has data type ${dataType}: typed unknown`)
      }
      yield* Option.match(args.out, {
        onNone: () => Console.log(rendered.module.trimEnd()),
        onSome: (file) =>
          Effect.flatMap(FileSystem.FileSystem, (fs) => fs.writeFileString(file, rendered.module)).pipe(
            Effect.zipRight(Console.error(`wrote ${file}`))
          )
      })
    })
  )
)

/** `intercom attributes` and its subcommands. */
export const attributes = Command.make("attributes").pipe(Command.withSubcommands([codegen]))
