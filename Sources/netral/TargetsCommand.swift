import ArgumentParser
import Foundation
import NetralModel
import NetralScan

extension Netral {
    struct Targets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with the targets of a configuration.",
            subcommands: [Import.self]
        )

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Turn a watchlist CSV (name,nip,role,agency,region,accounts) into targets with a subject.",
                discussion: """
                    One row per person; accounts are separated by spaces: Mastodon @user@host, Bluesky handles, \
                    page or feed URLs. Every bad row is printed as FILE:line: message and nothing is written \
                    when any row is bad (exit 2). NIPs are checked with the detector's rules and printed masked; \
                    only the configuration file written with --into holds them in full. Without --into, the \
                    targets are printed as YAML (NIPs masked).
                    """
            )

            enum Format: String, ExpressibleByArgument, CaseIterable {
                case yaml
            }

            @Argument(help: "The watchlist, CSV in UTF-8 (comma- or semicolon-separated).")
            var file: String

            @Option(help: "Add the targets to the 'targets:' list of this configuration (checked before it is replaced).")
            var into: String?

            @Option(help: "Print the targets in this format instead (yaml).")
            var format: Format?

            @OptionGroup var global: GlobalOptions

            func validate() throws {
                if into != nil && format != nil { throw ValidationError("give either --into or --format, not both") }
            }

            func run() async throws {
                _ = global.makeLogger()
                let taken = into.map(Watchlist.targetIDs(inConfig:)) ?? []
                let watchlist: Watchlist
                do {
                    watchlist = try Watchlist.read(path: file, takenIDs: taken)
                } catch {
                    throw CommandFailure.invalidInput(
                        error.description + "\n"
                            + "\(error.problems.count) problem(s) in \(Set(error.problems.map(\.line)).count) row(s); nothing was written")
                }
                guard let into else {
                    printOut("targets:\n" + watchlist.yamlItems(maskNIPs: true), terminator: "")
                    return
                }
                do {
                    _ = try watchlist.merge(intoConfig: into)
                } catch let error as Watchlist.MergeError {
                    throw CommandFailure.invalidInput(error.description + "\n" + "\(into) was not changed")
                }
                for person in watchlist.people {
                    let nip = person.subject.nip.map { ", NIP \(NIPMasking.mask($0))" } ?? ""
                    printOut("\(person.subject.name ?? "")\(nip): \(person.targets.map(\.id).joined(separator: ", "))")
                }
                printOut("\(watchlist.targets.count) target(s) for \(watchlist.people.count) person(s) added to \(into)")
            }
        }
    }
}

/// Writes text to stdout with the given ending.
private func printOut(_ text: String, terminator: String) {
    FileHandle.standardOutput.write(Data((OutputMask.forDisplay(text) + terminator).utf8))
}
