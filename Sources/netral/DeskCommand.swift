import ArgumentParser
import Foundation
import Logging
import NetralDesk
import NetralStore
import NetralScan
import NetralYAML

extension Netral {
    struct Desk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the reviewer's desk: a web page to read, confirm and dismiss case files.",
            discussion: """
                Listens on 127.0.0.1 and prints a one-time login link (http://127.0.0.1:PORT/masuk?token=...) on stdout; \
                open it in a browser on this machine. The link works once. Each name typed on stdin prints another \
                link, for that reviewer; decisions made in a session carry its reviewer's name. \
                Decisions go to the same review log as `netral review`. Stop with Ctrl-C. \
                Exit codes: 0 stopped; 2 unreadable config, state or evidence folder; 3 the server failed; 64 bad usage \
                (another address without --expose).
                """
        )

        @Option(help: "Configuration file: its state, evidence folder and targets are used.")
        var config: String?

        @Option(help: "State database (overrides the config's).")
        var state: String?

        @Option(help: "Evidence folder (overrides the config's).")
        var evidence: String?

        @Option(help: "Port to listen on (0: any free port).")
        var port = 8484

        @Option(help: "Address to listen on. Anything but a loopback address needs --expose.")
        var host = "127.0.0.1"

        @Flag(
            help: "Allow listening on an address other machines can reach (the desk shows personal data; put it behind TLS and a firewall)."
        )
        var expose = false

        @Option(help: "Reviewer name written into the review log (default: the USER environment variable).")
        var by: String?

        @OptionGroup var global: GlobalOptions

        /// Each line read from stdin (a name) prints a login link for that reviewer, so several
        /// reviewers sign in with their own names. Reading stops at the end of stdin.
        static func offerMoreLinks(desk: NetralDesk.Desk, base: String) {
            if isatty(STDIN_FILENO) == 1 {
                printError("Ketik nama peninjau lain lalu Enter untuk tautan masuknya; Ctrl-C menghentikan meja.")
            }
            Thread.detachNewThread {
                while let line = readLine() {
                    let name = line.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !name.isEmpty else { continue }
                    printLoginLink("Tautan masuk untuk \(name) (sekali pakai): \(base)/masuk?token=\(desk.newLoginToken(reviewer: name))")
                }
            }
        }

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            if !DeskServer.isLoopback(host) && !expose {
                throw ValidationError("\(host) is not a loopback address; the desk shows personal data, so listening there needs --expose")
            }
        }

        func run() async throws {
            let logger = global.makeLogger()
            var statePath = state
            var statePasswordEnvironment: String?
            var evidencePath = evidence
            var targets: [String] = []
            var seal: ReviewSeal?
            var loadedConfig: ScanConfig?
            let configPath = config ?? (state == nil && evidence == nil ? "netral.yaml" : nil)
            if let configPath {
                do {
                    let loaded = try ScanConfig.load(path: configPath)
                    if statePath == nil {
                        statePath = loaded.statePath
                        statePasswordEnvironment = loaded.statePasswordEnvironment
                    }
                    evidencePath = evidencePath ?? loaded.evidencePath
                    targets = loaded.targets.map(\.id)
                    loadedConfig = loaded
                } catch {
                    throw CommandFailure.invalidInput(error.description)
                }
            }
            if let loadedConfig {
                do {
                    seal = try loadedConfig.reviewSeal(timestamps: false)
                } catch {
                    throw CommandFailure.invalidInput("netral desk: \(error)")
                }
            }
            guard let statePath, let evidencePath else {
                throw CommandFailure.invalidInput("netral desk: give --config, or both --state and --evidence")
            }
            let reviewer = (by ?? ProcessInfo.processInfo.environment["USER"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reviewer.isEmpty else {
                throw CommandFailure.invalidInput("netral desk: give a reviewer name with --by (no USER in the environment)")
            }
            // The Host header must name the desk (no DNS rebinding); on a wildcard address the
            // names other machines use are unknown, so any is accepted there.
            let wildcard = ["0.0.0.0", "::", "[::]"].contains(host)
            let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            let hostNames: Set<String>? = wildcard ? nil : ["127.0.0.1", "localhost", "[::1]", bracketed.lowercased()]
            let desk: NetralDesk.Desk
            do {
                desk = try NetralDesk.Desk(
                    settings: DeskSettings(
                        statePath: statePath, evidenceRoot: evidencePath, reviewer: reviewer,
                        targets: targets, hostNames: hostNames,
                        statePasswordEnvironment: statePasswordEnvironment))
            } catch {
                throw CommandFailure.invalidInput("netral desk: \(error)")
            }
            // Decisions signed with the configuration's key and their head anchored in the
            // evidence folder (given without a configuration: anchored, unsigned).
            desk.store.sealReviews(with: seal ?? ReviewSeal(signer: nil, anchorRoot: evidencePath))
            if !DeskServer.isLoopback(host) {
                printError(
                    "netral desk: warning: listening on \(host): anyone who can reach this address can try to sign in; the desk shows "
                        + "personal data and speaks plain HTTP"
                )
            }
            let linkHost = wildcard ? ProcessInfo.processInfo.hostName : bracketed
            do {
                try await DeskServer.run(desk, host: host, port: port, logger: logger) { boundPort in
                    let base = "http://\(linkHost):\(boundPort)"
                    printOut("Meja peninjau: \(base)/")
                    printLoginLink("Tautan masuk untuk \(reviewer) (sekali pakai): \(base)/masuk?token=\(desk.newLoginToken())")
                    Self.offerMoreLinks(desk: desk, base: base)
                }
            } catch {
                throw CommandFailure.runtime("netral desk: \(error)")
            }
        }
    }
}
