public import ArgumentParser
import Foundation
import Logging
import NetralDemo
import NetralModel
import NetralScan
import NetralYAML

/// Exit codes, the contract scripts rely on (README, "Exit codes"). A command that finishes
/// with a result other than 0 throws one of these; a command that cannot do what it was asked
/// throws a `CommandFailure`; `Netral.main` turns both, and any other error, into the exit.
enum ExitStatus {
    /// Done.
    static let ok = ExitCode(0)
    /// New findings (only with --exit-code), or a check that found problems.
    static let findings = ExitCode(1)
    /// Invalid configuration or rule files; nothing was fetched or written.
    static let invalidInput = ExitCode(2)
    /// Failure at run time.
    static let runtimeFailure = ExitCode(3)
    /// Done, but some targets failed.
    static let partialFailure = ExitCode(4)
    /// Invalid command-line usage.
    static let usage = ExitCode(64)
}

/// Why a command stopped before doing what it was asked: the message for stderr and the exit
/// code it means.
struct CommandFailure: Error {
    var code: ExitCode
    var message: String

    init(code: ExitCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Invalid configuration, rule files or arguments: nothing was fetched or written (2).
    static func invalidInput(_ message: String) -> CommandFailure { CommandFailure(code: ExitStatus.invalidInput, message) }
    /// A failure at run time (3).
    static func runtime(_ message: String) -> CommandFailure { CommandFailure(code: ExitStatus.runtimeFailure, message) }
    /// Invalid command-line usage the parser could not see (64).
    static func usage(_ message: String) -> CommandFailure { CommandFailure(code: ExitStatus.usage, message) }
}

@main
struct Netral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netral",
        abstract: "Find public posts in which Indonesian civil servants (ASN) campaign, and file each find as a case file for review.",
        discussion: """
            Exit codes:
              0  done
              1  new violations (scan with --exit-code; wins over 4); case files that fail verification (verify)
              2  invalid configuration or rule files (nothing was fetched or written); verify: unreadable config, state or key
              3  failure at run time
              4  done, but some targets failed (the summary says which) and no new violations were
                 reported with --exit-code
            """,
        version: NetralVersion.current,
        subcommands: [
            Demo.self, Scan.self, Status.self, Explain.self, Rules.self, Verify.self, Keygen.self, Findings.self, Review.self, Export.self,
            Push.self, Targets.self, Desk.self, Case.self, Init.self, Config.self, Accounts.self,
        ]
    )

    /// Parses and runs the command; the one place an error becomes an exit code: a
    /// `CommandFailure` says its own, invalid configuration or rule files are 2, any other error
    /// from a command is a failure at run time (3); the parser's own (usage 64, help) are its.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var running = command
            if var asynchronous = running as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try running.run()
            }
        } catch let failure as CommandFailure {
            printError(failure.message)
            exit(withError: failure.code)
        } catch let error as DiagnosticsError {
            printError(error.description)
            exit(withError: ExitStatus.invalidInput)
        } catch let error where error is ExitCode || error is CleanExit || error is ValidationError {
            exit(withError: error)
        } catch let error where exitCode(for: error).isSuccess {
            // `--help` and `help COMMAND`: the parser's help command raises its request when it
            // runs; the parser prints the help.
            exit(withError: error)
        } catch {
            let name = type(of: command).configuration.commandName ?? type(of: command)._commandName
            printError("netral \(name): \(error)")
            exit(withError: ExitStatus.runtimeFailure)
        }
    }
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    @Flag(name: .shortAndLong, help: "Log progress on stderr (same as --log-level info).")
    var verbose = false

    /// Bootstraps logging once per process and returns the command's logger. `quiet` (scan's
    /// `--quiet`) lowers the default to errors, so failures are told once, in the output.
    func makeLogger(quiet: Bool = false) -> Logger {
        var level = verbose ? min(logLevel, .info) : logLevel
        if quiet && !verbose && logLevel == .warning { level = .error }
        LoggingBootstrap.once(level: level)
        var logger = Logger(label: "netral")
        logger.logLevel = level
        return logger
    }
}

enum LoggingBootstrap {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var done = false

    static func once(level: Logger.Level) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = MaskingLogHandler(inner: StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Writes text to stdout, credentials masked and hidden characters shown (`OutputMask`).
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data((OutputMask.forDisplay(text) + "\n").utf8))
}

/// Writes a line holding the desk's one-time login link. Its token is the point of the line (the
/// operator hands the link to the reviewer), so it is not masked as other output is; hidden
/// characters are still shown.
func printLoginLink(_ text: String) {
    FileHandle.standardOutput.write(Data((DisplayText.neutralised(text) + "\n").utf8))
}

/// Writes text to stderr, as `printOut`.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((OutputMask.forDisplay(text) + "\n").utf8))
}

/// Encodes a value with the project's JSON style and prints it: hidden characters as `\u`
/// escapes (the value unchanged), credentials masked.
func printJSON<T: Encodable>(_ value: T) throws {
    let data = DisplayText.escapingHidden(inJSON: try NetralJSON.encoder().encode(value))
    FileHandle.standardOutput.write(Data((OutputMask.masked(String(decoding: data, as: UTF8.self)) + "\n").utf8))
}

/// True when stdout is a terminal (colours and progress are for people, not for cron).
var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

/// A line on stderr rewritten in place (carriage return), for a person at a terminal.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var shown = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + OutputMask.forDisplay(text)).utf8))
            shown = true
        }
    }

    /// Clears the line so the summary starts on a clean one.
    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            shown = false
        }
    }
}
