import Foundation
public import NetralModel
import NetralYAML
public import NetralEvidence

/// A target: something to fetch (or read) and judge. The fields here are the ones every kind
/// shares; what only one kind has (a site's `follow:`, a search's `query:`) is its source's
/// `settings`, read by its row in `SourceRegistry`.
public struct Target: Sendable, Equatable {
    /// A kind of target (`kind:` in netral.yaml). Each kind is declared beside its source
    /// (`Sources/NetralScan/Sources/<Kind>/`) and listed once in `SourceRegistry`.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        /// Kinds read from disk (`path:`) rather than fetched (`url:`).
        public var isLocal: Bool { SourceRegistry.row(for: self)?.location == .path }
    }

    public var id: String
    public var kind: Kind
    /// An http(s) URL, a social handle, or (for a local kind) a local path.
    public var url: String
    /// What the analyst knows about the account holder; the strongest ASN signal.
    public var subject: Subject?
    /// Pages per scan for sources read page by page (API pages, sitemap pages).
    public var maxPages: Int
    /// A site profile (by name) that splits this target's HTML into items; without one, a
    /// profile whose `match` covers the URL is used, if any.
    public var profile: String?
    /// Seconds between scans of this target; nil means due on every run.
    public var every: Double?
    /// Connect to loopback, private, link-local or multicast addresses (off by default, also on
    /// redirects).
    public var allowPrivate: Bool
    /// Set when the target ignores robots.txt: the reason the operator gave (`robots: ignore`
    /// with `reason:`), kept in the state and the summary.
    public var robotsIgnoredBecause: String?
    /// The environment variable holding `user:password` for HTTP Basic (or a source's login).
    /// Never the value itself.
    public var credentialsVariable: String?
    /// The region the target concerns (province, regency), shown in case-file reports.
    public var region: String?
    /// The zone reports show local times in (WIB, WITA, WIT); nil: the post's offset, else WIB.
    public var zone: IndonesianZone?
    /// What only this target's kind has, as its source reads it from the configuration.
    public var settings: (any TargetSettings)?

    public static let defaultMaxPages = 3

    public init(
        id: String, kind: Kind = .page, url: String, subject: Subject? = nil, maxPages: Int = Target.defaultMaxPages,
        profile: String? = nil,
        every: Double? = nil, allowPrivate: Bool = false, robotsIgnoredBecause: String? = nil, credentialsVariable: String? = nil,
        region: String? = nil, zone: IndonesianZone? = nil, settings: (any TargetSettings)? = nil
    ) {
        self.id = id
        self.kind = kind
        self.url = url
        self.subject = subject
        self.maxPages = maxPages
        self.profile = profile
        self.every = every
        self.allowPrivate = allowPrivate
        self.robotsIgnoredBecause = robotsIgnoredBecause
        self.credentialsVariable = credentialsVariable
        self.region = region
        self.zone = zone
        self.settings = settings
    }

    /// The kind's own settings, when they are of type `T`.
    public func settings<T: TargetSettings>(as type: T.Type) -> T? { settings as? T }

    public static func == (lhs: Target, rhs: Target) -> Bool {
        lhs.id == rhs.id && lhs.kind == rhs.kind && lhs.url == rhs.url && lhs.subject == rhs.subject && lhs.maxPages == rhs.maxPages
            && lhs.profile == rhs.profile && lhs.every == rhs.every && lhs.allowPrivate == rhs.allowPrivate
            && lhs.robotsIgnoredBecause == rhs.robotsIgnoredBecause && lhs.credentialsVariable == rhs.credentialsVariable
            && lhs.region == rhs.region && lhs.zone == rhs.zone && TargetSettingsComparison.equal(lhs.settings, rhs.settings)
    }

    /// `user:password` (or a source's login) from the environment variable the target names,
    /// read when needed and never stored.
    public func credentials() throws(TargetError) -> String? {
        guard let variable = credentialsVariable else { return nil }
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw TargetError("environment variable \(variable) (auth_env) is not set")
        }
        return value
    }
}

/// What only one kind of target has (a site's link following, a search's words), read from the
/// configuration by that kind's row in `SourceRegistry` and kept on the target.
public protocol TargetSettings: Sendable {
    func isEqual(to other: any TargetSettings) -> Bool
}

extension TargetSettings where Self: Equatable {
    public func isEqual(to other: any TargetSettings) -> Bool { (other as? Self) == self }
}

enum TargetSettingsComparison {
    static func equal(_ lhs: (any TargetSettings)?, _ rhs: (any TargetSettings)?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case let (lhs?, rhs?): lhs.isEqual(to: rhs)
        default: false
        }
    }
}

/// A target that stopped with a reason of its own (an HTTP status, a damaged file, a missing
/// credential): it fails, the run goes on.
public struct TargetError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
