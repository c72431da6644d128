import ArgumentParser
import Foundation
import NetralExtract
import NetralRules
import NetralScan
import NetralStore
import NetralYAML

extension Netral {
    /// `netral init`: a first, working, commented configuration and its folders.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a working, commented netral.yaml and the folders it names; never overwrites.",
            discussion: """
                Writes FOLDER/netral.yaml (default: this folder) with the shipped rule packs, a state and an evidence folder \
                under netral-state/ (made, owner-only) and one example target to replace, then says what to run next. \
                The packs are found in $NETRAL_RULES, beside the executable (../share/netral/Rules or Rules), or in ./Rules; \
                --rules names them. Exit codes: 0 written; 2 netral.yaml exists already, or no rule packs were found.
                """
        )

        @Argument(help: "The folder to set up (made when missing).")
        var folder = "."

        @Option(help: "The rule packs' folder (default: found as described above).")
        var rules: String?

        @Option(help: "The contact in the User-Agent every request carries: a URL or an e-mail of your office.")
        var contact = "https://bawaslu-contoh.example/kontak"

        func run() async throws {
            let configPath = (folder as NSString).appendingPathComponent("netral.yaml")
            if FileManager.default.fileExists(atPath: configPath) {
                throw CommandFailure.invalidInput("netral init: \(configPath) exists already; nothing was written")
            }
            guard let packs = rules.map(Self.absolute) ?? Self.shippedPacks() else {
                throw CommandFailure.invalidInput(
                    "netral init: no rule packs found ($NETRAL_RULES, ../share/netral/Rules beside the executable, ./Rules); "
                        + "give --rules FOLDER")
            }
            guard FileManager.default.fileExists(atPath: packs) else {
                throw CommandFailure.invalidInput("netral init: \(packs): no such folder")
            }
            let sites = (packs as NSString).appendingPathComponent("sites")
            let text = Self.template(packs: packs, sites: FileManager.default.fileExists(atPath: sites) ? sites : nil, contact: contact)
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for made in ["netral-state", "netral-state/evidence"] {
                    try FileManager.default.createDirectory(
                        atPath: (folder as NSString).appendingPathComponent(made), withIntermediateDirectories: true,
                        attributes: [.posixPermissions: 0o700])
                }
                // Written beside its name and linked into place: an existing file is never replaced.
                let temporary = configPath + ".tmp-\(getpid())"
                try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
                defer { try? FileManager.default.removeItem(atPath: temporary) }
                guard link(temporary, configPath) == 0 else {
                    throw CommandFailure.invalidInput("netral init: \(configPath) exists already; nothing was written")
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure.runtime("netral init: \(error.localizedDescription)")
            }
            printOut("wrote \(configPath) (rule packs: \(packs))")
            printOut("next: edit its targets, then `netral config check`, `netral scan`, `netral desk`")
        }

        static func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        }

        /// The shipped packs: `$NETRAL_RULES`, beside the executable, or `./Rules`.
        static func shippedPacks() -> String? {
            var candidates: [String] = []
            if let fromEnvironment = ProcessInfo.processInfo.environment["NETRAL_RULES"] { candidates.append(fromEnvironment) }
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            candidates.append(executable.appendingPathComponent("../share/netral/Rules").standardizedFileURL.path)
            candidates.append(executable.appendingPathComponent("Rules").path)
            candidates.append("Rules")
            return candidates.map(absolute).first { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                    && ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).contains { $0.hasSuffix(".yaml") }
            }
        }

        static func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }

        static func template(packs: String, sites: String?, contact: String) -> String {
            """
            # netral.yaml: what Netral scans, with which rule packs, and where it keeps its state and evidence.
            # Check it with `netral config check`; every key is described in the README ("Configuration").
            format: 1
            rules: [\(quoted(packs))]          # the shipped packs; add your own files or folders
            \(sites.map { "sites: [\(quoted($0))]" } ?? "# sites: [Rules/sites]          # site profiles for pages that hold many posts")
            state: netral-state/netral.sqlite   # relative to this file; or postgres://user@host:port/database
            evidence: netral-state/evidence     # case files (personal data: keep on encrypted storage)
            # signing_key: kunci/netral-ed25519 # after `netral keygen kunci/netral-ed25519`: signs every manifest
            fetch:
              user_agent: \(quoted("Netral/0.1 (+\(contact))"))   # must name a URL or e-mail where site owners reach you
              per_host_delay: 1                 # seconds between two requests to one host
            targets:
              # One entry per page, feed or account to watch. Replace this example with your own.
              - id: contoh-blog-camat           # letters, digits, . _ -
                kind: page                      # page, feed, sitemap, mastodon, bluesky, campaign-account, hashtag, search, warc, file
                url: https://blog-contoh.example/2024/01/ajakan.html
                every: 6h                       # due again after this; default: every run
                region: Kabupaten Kutai Kartanegara, Kalimantan Timur
                zone: WITA                      # WIB, WITA or WIT for report times
                # subject:                      # what you know of the account holder (the strongest ASN signal)
                #   name: Drs. Contoh
                #   role: Camat
                #   agency: Kecamatan Sungai Jernih

            """
        }
    }

    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Work with the configuration.",
            subcommands: [Check.self]
        )

        struct Check: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a configuration, its rule packs and site profiles without fetching anything.",
                discussion: """
                    Prints every problem at once as file:line:col: message (the configuration's, then its packs' and its site \
                    profiles', then targets naming an unknown profile), and exits 2 on any; else prints what it would scan \
                    with, and exits 0.
                    """
            )

            @Option(help: "Configuration file.")
            var config = "netral.yaml"

            func run() async throws {
                let (loaded, configProblems) = ScanConfig.check(path: config)
                var problems = configProblems.map(\.description)
                var summary: [String] = []
                if let loaded {
                    do {
                        let ruleSet = try PackLoader.load(paths: loaded.rulePaths)
                        summary.append("\(ruleSet.packs.count) pack(s), \(ruleSet.rules.count) rules")
                        var profiles: [SiteProfile] = []
                        let existing = loaded.sitePaths.filter { FileManager.default.fileExists(atPath: $0) }
                        do {
                            if !existing.isEmpty { profiles = try SiteProfileLoader.load(paths: existing) }
                            summary.append("\(profiles.count) site profile(s)")
                        } catch {
                            problems += error.diagnostics.map(\.description)
                        }
                        if configProblems.isEmpty {
                            let unknown = NetralScan.Scanner(config: loaded, ruleSet: ruleSet, profiles: profiles).unknownProfiles()
                            problems += unknown.map { "\(config): \($0)" }
                        }
                    } catch {
                        problems += error.diagnostics.map(\.description)
                    }
                    summary.append("\(loaded.targets.count) target(s)")
                    summary.append("state \(loaded.statePath)")
                    summary.append("evidence \(loaded.evidencePath)")
                }
                guard problems.isEmpty else {
                    throw CommandFailure.invalidInput(problems.joined(separator: "\n") + "\n\(problems.count) problem(s)")
                }
                printOut("ok: \(config): " + summary.joined(separator: ", "))
            }
        }
    }
}
