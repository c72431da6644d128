import ArgumentParser
import Foundation
import NetralModel
import NetralScan
import NetralStore

extension Netral {
    struct Accounts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the accounts the state identifies (ASN or a government office), with where each identity came from.",
            discussion: """
                An identity comes from the account's profile (display name, bio, profile fields, category, a link to a \
                go.id site), from its own earlier first-person posts, or from a watchlist subject, and is applied to the \
                account's later items. 'confirm' and 'clear' record a reviewer's decision in the review log; a cleared \
                identity is no longer applied.
                """,
            subcommands: [List.self, Confirm.self, Clear.self],
            defaultSubcommand: List.self
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List identified accounts with provenance.")

            @Option(help: "Configuration file.")
            var config = "netral.yaml"

            @Option(help: "Output format: text or json.")
            var format: OutputFormat = .text

            @Option(help: "At most this many accounts.")
            var limit = 1000

            @OptionGroup var global: GlobalOptions

            func run() async throws {
                _ = global.makeLogger()
                let (_, store) = try openState(config: config, command: "accounts", access: .readOnly)
                let accounts: [IdentifiedAccount]
                do {
                    accounts = try store.identifiedAccounts(limit: max(1, limit))
                } catch {
                    throw CommandFailure.runtime("netral accounts: \(error)")
                }
                switch format {
                case .json: try printJSON(accounts)
                case .text: printOut(Self.text(accounts))
                }
            }

            static func text(_ accounts: [IdentifiedAccount]) -> String {
                guard !accounts.isEmpty else { return "no identified accounts" }
                var lines: [String] = []
                for account in accounts {
                    let status = account.status.map { " [\($0.rawValue)]" } ?? ""
                    let handle = account.handle.map { " @\($0)" } ?? ""
                    lines.append("\(account.account)\(handle)\(status)")
                    for fact in account.facts {
                        let head = fact.head.map { "; \($0)" } ?? ""
                        lines.append(
                            "  \(fact.kind.rawValue) '\(NIPMasking.mask(fact.words))'\(head): \(fact.describe(masking: NIPMasking.mask))")
                    }
                }
                return lines.joined(separator: "\n")
            }
        }

        struct Confirm: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Confirm an account's identity (recorded in the review log; it keeps being applied).")

            @OptionGroup var decision: AccountDecisionOptions

            func run() async throws { try decision.record(.confirm) }
        }

        struct Clear: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Clear an account's identity (recorded in the review log; it is no longer applied).")

            @OptionGroup var decision: AccountDecisionOptions

            func run() async throws { try decision.record(.clear) }
        }
    }
}

struct AccountDecisionOptions: ParsableArguments {
    @Argument(help: "The account as 'netral accounts' lists it: platform:id, or platform:@handle.")
    var account: String

    @Option(help: "Who decides.")
    var reviewer: String

    @Option(help: "Why (kept in the log).")
    var note = ""

    @Option(help: "Configuration file.")
    var config = "netral.yaml"

    @OptionGroup var global: GlobalOptions

    func record(_ decision: AccountDecision) throws {
        _ = global.makeLogger()
        let (scanConfig, store) = try openState(config: config, command: "accounts", access: .existing)
        do {
            // Signed and anchored like a case decision.
            store.sealReviews(with: try scanConfig.reviewSeal(timestamps: true))
        } catch {
            throw CommandFailure.invalidInput("netral accounts: \(error)")
        }
        let entry: AccountReviewEntry
        do {
            entry = try store.recordAccountDecision(account: account, decision: decision, note: note, reviewer: reviewer)
        } catch let error as AccountReviewError {
            if case .alreadyInStatus = error { throw CommandFailure(code: ExitStatus.findings, "netral accounts: \(error)") }
            throw CommandFailure.usage("netral accounts: \(error)")
        } catch {
            throw CommandFailure.runtime("netral accounts: \(error)")
        }
        printOut(
            "account \(entry.account): \(entry.decision.resultingStatus.rawValue) by \(entry.reviewer) (review log entry \(entry.sequence))"
        )
    }
}
