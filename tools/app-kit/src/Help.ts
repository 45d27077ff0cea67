/**
 * Help for a command and each of its subcommands, written as a user types them: `intercom contacts list --help`
 * shows `$ intercom contacts list [--limit integer] [--resume text]` and the options of `list`, and `intercom --help`
 * lists every command with its full name. (@effect/cli's own help shows a subcommand's usage as `$ list ...` and
 * lists subcommands without the program's name.)
 *
 * A command's tree is read from its descriptor. @effect/cli exposes `getSubcommands` one level deep only, so the
 * tree is walked through the descriptor's `Subcommands` / `Map` / `Standard` nodes (its internal shape, pinned with
 * @effect/cli 0.77 in the catalog, and covered by this package's tests).
 */
import { type Command, CommandDescriptor, HelpDoc, Usage } from "@effect/cli"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Span from "@effect/cli/HelpDoc/Span"
import { Option } from "effect"
import { stripAnsi } from "./PlainConsole.js"

/** A command in the tree: its name, its own descriptor (options and arguments), and its subcommands. */
export interface Node {
  readonly name: string
  readonly descriptor: CommandDescriptor.Command<unknown>
  readonly description: HelpDoc.HelpDoc
  readonly children: ReadonlyArray<Node>
}

type Instruction =
  | { readonly _tag: "Standard"; readonly name: string; readonly description: HelpDoc.HelpDoc }
  | { readonly _tag: "GetUserInput"; readonly name: string; readonly description: HelpDoc.HelpDoc }
  | { readonly _tag: "Map"; readonly command: Instruction }
  | { readonly _tag: "Subcommands"; readonly parent: Instruction; readonly children: ReadonlyArray<Instruction> }

const nodeOf = (instruction: Instruction): Node => {
  switch (instruction._tag) {
    case "Standard":
    case "GetUserInput":
      return {
        name: instruction.name,
        descriptor: instruction as unknown as CommandDescriptor.Command<unknown>,
        description: instruction.description,
        children: []
      }
    case "Map":
      return nodeOf(instruction.command)
    case "Subcommands":
      return { ...nodeOf(instruction.parent), children: instruction.children.map(nodeOf) }
  }
}

/** The tree of `command`. */
export const tree = <Name extends string, R, E, A>(command: Command.Command<Name, R, E, A>): Node =>
  nodeOf(command.descriptor as unknown as Instruction)

/** Options every app takes from the app runner rather than from its command. */
const builtIns: ReadonlyArray<readonly [string, string]> = [
  ["--verbose", "on failure, print the full cause below the one-line message"],
  ["-h, --help", "show this help"],
  ["--version", "show the version"]
]

/**
 * The commands named in `args`, from the root: each word that names a subcommand of the last one found descends.
 * `rest` holds the words after the last command found.
 */
export const locate = (
  root: Node,
  args: ReadonlyArray<string>
): { readonly path: ReadonlyArray<Node>; readonly rest: ReadonlyArray<string> } => {
  const path = [root]
  let rest = args
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!
    if (word === "--") break
    const child = path.at(-1)!.children.find((c) => c.name === word)
    if (child !== undefined) {
      path.push(child)
      rest = args.slice(i + 1)
    }
  }
  return { path, rest }
}

/**
 * The commands whose help `args` ask for: `-h` or `--help` anywhere, or a command that only groups others named
 * with no subcommand after it, only options (`intercom`, `intercom --format json`, `intercom contacts`). None when
 * the command line is to be run, or is wrong (`intercom contacts lst`): the parser says what is wrong with it.
 */
export const requested = (root: Node, args: ReadonlyArray<string>): Option.Option<ReadonlyArray<Node>> => {
  const end = args.indexOf("--")
  const words = end < 0 ? args : args.slice(0, end)
  const { path, rest } = locate(root, words)
  const asked = words.includes("--help") || words.includes("-h")
  // A word that is not a flag is the value of the flag before it, or a subcommand that does not exist.
  const onlyOptions = rest.every(
    (word, i) => word.startsWith("-") || (i > 0 && rest[i - 1]!.startsWith("-") && !rest[i - 1]!.includes("="))
  )
  const bareGroup = path.at(-1)!.children.length > 0 && onlyOptions
  return asked || bareGroup ? Option.some(path) : Option.none()
}

/** The command as typed: `intercom contacts list`. */
export const commandLine = (path: ReadonlyArray<Node>): string => path.map((node) => node.name).join(" ")

const config = CliConfig.make({ showBuiltIns: false })

// What @effect/cli says of every option of a kind; the options' own descriptions say more.
const boilerplate = new Set([
  "A user-defined piece of text.",
  "A user-defined piece of text that is confidential.",
  "A true or false value.",
  "An integer.",
  "This setting is optional.",
  "This setting is optional. Defaults to: false"
])

/** `doc` without @effect/cli's generic sentences. */
const prune = (doc: HelpDoc.HelpDoc): HelpDoc.HelpDoc => {
  if (HelpDoc.isSequence(doc)) return HelpDoc.sequence(prune(doc.left), prune(doc.right))
  if (HelpDoc.isParagraph(doc) && Span.isText(doc.value) && boilerplate.has(doc.value.value)) return HelpDoc.empty
  if (HelpDoc.isDescriptionList(doc)) return HelpDoc.mapDescriptionList(doc, (span, block) => [span, prune(block)])
  return doc
}

const text = (doc: HelpDoc.HelpDoc): string => HelpDoc.toAnsiText(doc).trimEnd()

const spanText = (span: Span.Span): string => text(HelpDoc.p(span))

const bold = (title: string): string => `\x1b[1m${title}\x1b[0m`

/** The usage of the last command of `path`, prefixed with the commands above it. */
const usageOf = (path: ReadonlyArray<Node>): string => {
  const node = path.at(-1)!
  const own = spanText(HelpDoc.getSpan(Usage.getHelp(CommandDescriptor.getUsage(node.descriptor))))
  return [...path.slice(0, -1).map((p) => p.name), own, ...(node.children.length > 0 ? ["<command>"] : [])].join(" ")
}

const leaves = (path: ReadonlyArray<Node>): Array<ReadonlyArray<Node>> =>
  path.at(-1)!.children.flatMap((child) => {
    const at = [...path, child]
    return child.children.length === 0 ? [at] : leaves(at)
  })

const rows = (entries: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.max(...entries.map(([left]) => left.length))
  return entries.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join("\n")
}

/** The help of the last command of `path` (from the root), styled: the console strips the styling when piped. */
export const render = (path: ReadonlyArray<Node>, version: string): string => {
  const root = path[0]!
  const commands = leaves(path).map((at) => `  ${usageOf(at)}\n${indent(text(at.at(-1)!.description), 6)}`.trimEnd())
  const also: Array<readonly [string, string]> = [
    ...(path.length > 1 ? [["...", `the options of ${root.name} too (see ${root.name} --help)`] as const] : []),
    ...builtIns
  ]
  return [
    bold(`${commandLine(path)}${path.length === 1 ? ` ${version}` : ""}`),
    `${bold("USAGE")}\n  $ ${usageOf(path)}`,
    compact(text(prune(CommandDescriptor.getHelp(path.at(-1)!.descriptor, config)))),
    commands.length > 0 ? `${bold("COMMANDS")}\n${commands.join("\n")}` : "",
    `${bold("ALSO")}\n${rows(also)}`
  ]
    .filter((part) => part.length > 0)
    .join("\n\n")
}

const headings = new Set(["DESCRIPTION", "ARGUMENTS", "OPTIONS"])

/** @effect/cli's sections without their blank lines, each entry indented under its heading. */
const compact = (block: string): string =>
  block
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .map((line) => {
      const heading = headings.has(stripAnsi(line).trim())
      return heading ? `\n${bold(stripAnsi(line).trim())}` : `  ${line}`
    })
    .join("\n")
    .trim()

const indent = (block: string, by: number): string =>
  block
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => `${" ".repeat(by)}${line.trim()}`)
    .join("\n")
