import Foundation
import Logging
import NetralModel

/// Everything `netral` prints goes through here: a URL's password and secret query values are
/// masked (and the secrets any URL on the command line carried, wherever they appear on their
/// own), and bidirectional and invisible characters are shown as `[U+202E]` in text or written
/// as `\u202e` in JSON, so no name on a terminal reads as another.
enum OutputMask {
    /// The secrets of every URL among the arguments, read once at start.
    static let argumentSecrets: [String] = CommandLine.arguments.flatMap(URLCredentials.secrets(in:))

    /// Credentials masked, nothing else changed (JSON, whose hidden characters are escaped apart).
    static func masked(_ text: String) -> String {
        var text = URLCredentials.maskingURLs(in: text)
        for secret in argumentSecrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }

    /// Text for a terminal or a file a person reads: credentials masked, hidden characters shown.
    static func forDisplay(_ text: String) -> String {
        DisplayText.neutralised(masked(text))
    }
}

/// The standard-error log handler, with every message and metadata value masked as output is.
struct MaskingLogHandler: LogHandler {
    var inner: StreamLogHandler

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(OutputMask.forDisplay(event.message.description))"
        event.metadata = event.metadata?.mapValues { .string(OutputMask.forDisplay($0.description)) }
        inner.log(event: event)
    }
}
