import Foundation
import NetralModel
import NetralYAML
import NetralFetch
import NetralPlatforms

/// How Netral reads one kind of target. A source knows what is due for its target (an
/// account's posts, a feed's entries, a sitemap's pages, a WARC's records), fetches it through
/// the scan's one engine (`TargetScan.fetch`, `.send`), and hands everything it gets to the
/// run's one sink (`TargetScan.sink`), which judges it, files case files and records it:
///
/// - fetched pages to extract: `sink.judge(capture, …)`;
/// - items it parsed itself, with the answer they came from as their evidence:
///   `sink.judge(capture, items: …)`;
/// - account profiles it saw: `sink.saw(profile, in: answer)`;
/// - answers that hold nothing to judge (an index, a listing): `sink.listing(capture, …)`.
///
/// A platform that will not show the target to an anonymous reader (a login wall, a challenge,
/// a rate limit) is reported with `TargetScan.refused`, never read as an empty account. A source
/// never writes the state itself and never decides that the run ends: the sink does both.
protocol TargetSource: Sendable {
    /// What the concurrent fetch stage hands to `read`: `Void` for a source that does all its
    /// work in `read`.
    associatedtype HeadStart: Sendable = Void

    /// Runs in the concurrent fetch stage, beside other targets' fetches (the `page` source
    /// fetches, extracts and judges its page here). It reads the state but never writes it, and
    /// keeps a target's own failure in `HeadStart`: only `RunAbort` and cancellation are thrown.
    func headStart(_ stage: FetchStage) async throws -> HeadStart

    /// Reads the target in the judging stage (one target at a time, in the order answers
    /// arrive). A thrown `TargetError`, `FetchFailure` or parser error fails this target only.
    func read(_ scan: TargetScan, after headStart: HeadStart) async throws
}

extension TargetSource where HeadStart == Void {
    func headStart(_ stage: FetchStage) async throws {}
}

/// One kind of target as `netral.yaml` names it: where its targets are, the keys it adds to a
/// target, how it reads them, and its source. `SourceRegistry.rows` lists every kind.
struct SourceRow: Sendable {
    enum Location: Sendable, Equatable {
        /// An http(s) URL (`url:`).
        case url
        /// An http(s) URL or an account handle (`url: "@name@instance"`).
        case urlOrHandle
        /// A local file (`path:`), relative to the configuration.
        case path
        /// A social platform's account by its handle (`account: camat_sukamaju`, kept as
        /// `@camat_sukamaju` in `Target.url`), or one of the platform's URLs (`url:`).
        case account(Platform)
    }

    var kind: Target.Kind
    var location: Location
    /// Keys a target of this kind may have besides the common ones (`TargetConfig.commonKeys`).
    var keys: [String] = []
    /// `max_pages`: the default and the allowed range.
    var maxPages: (default: Int, range: ClosedRange<Int>) = (Target.defaultMaxPages, 1...100)
    /// Reads the kind's own keys (`keys`) into `target.settings` and checks its URL; false when
    /// the target cannot be used (each problem is a diagnostic).
    var parse: @Sendable (_ mapping: YAMLMapping, _ target: inout Target, _ diagnostics: inout DiagnosticList) -> Bool = { _, _, _ in true }
    /// The source that reads a target of this kind.
    var source: @Sendable (Target) -> any TargetSource
    /// For a platform's kind: whether its source reads this URL of the platform (a page target
    /// with such a URL is routed to it), and the URL forms it reads, for messages.
    var reads: (@Sendable (_ url: String) -> Bool)? = nil
    var urlForms: String = ""
}
