/**
 * What the receiver reacts to and how: the keyword, the tag and the admin the tag is applied as, and the bounds of
 * the replay guard. Read from the environment; the Intercom token and the webhook secret are read by their own
 * layers (`Intercom.layerConfig`, `Webhooks.layerConfig`), never here.
 */
import { Config, type ConfigError, Context, Duration, Layer } from "effect"

/** The receiver's settings. */
export interface Settings {
  /** Looked for, ignoring case, in the text of a user's message (HTML tags removed). */
  readonly keyword: string
  /** The id of the tag to attach to a conversation that mentions the keyword. */
  readonly tagId: string
  /** The admin the tag is attached as (Intercom requires one). */
  readonly adminId: string
  /** Most notification ids the replay guard remembers; the oldest is forgotten first. */
  readonly replayCapacity: number
  /** How long a notification id is remembered; older notifications are not acted on at all. */
  readonly replayWindow: Duration.Duration
}

/** The settings as a service. */
export class ReceiverConfig extends Context.Tag("@intercom-effect/webhook-receiver/ReceiverConfig")<
  ReceiverConfig,
  Settings
>() {}

/** Defaults: the keyword "refund"; 10,000 ids remembered for 24 hours. */
export const defaults = {
  keyword: "refund",
  replayCapacity: 10_000,
  replayWindow: Duration.hours(24)
} as const

const nonEmpty = (name: string) =>
  Config.string(name).pipe(
    Config.map((value) => value.trim()),
    Config.validate({ message: "must not be empty", validation: (value) => value.length > 0 })
  )

/**
 * The settings from `RECEIVER_KEYWORD` (default "refund"), `RECEIVER_TAG_ID`, `RECEIVER_ADMIN_ID` (both required),
 * `RECEIVER_REPLAY_CAPACITY` (default 10000) and `RECEIVER_REPLAY_WINDOW` (a duration such as "24 hours", the
 * default).
 */
export const fromEnv: Config.Config<Settings> = Config.all({
  keyword: nonEmpty("RECEIVER_KEYWORD").pipe(Config.withDefault(defaults.keyword)),
  tagId: nonEmpty("RECEIVER_TAG_ID"),
  adminId: nonEmpty("RECEIVER_ADMIN_ID"),
  replayCapacity: Config.integer("RECEIVER_REPLAY_CAPACITY").pipe(
    Config.validate({ message: "must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(defaults.replayCapacity)
  ),
  replayWindow: Config.duration("RECEIVER_REPLAY_WINDOW").pipe(Config.withDefault(defaults.replayWindow))
})

/** The settings from the environment (see {@link fromEnv}). */
export const layerConfig: Layer.Layer<ReceiverConfig, ConfigError.ConfigError> = Layer.effect(ReceiverConfig, fromEnv)

/** Given settings, the defaults filling what is left out. */
export const layer = (settings: Pick<Settings, "tagId" | "adminId"> & Partial<Settings>): Layer.Layer<ReceiverConfig> =>
  Layer.succeed(ReceiverConfig, { ...defaults, ...settings })
