import Foundation
public import NetralEvidence
public import NetralFetch
public import NetralModel
import NetralRules
public import NetralYAML

/// A target: something to fetch and judge.
public struct Target: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One web page (HTML), fetched.
        case page
        /// An RSS or Atom feed, fetched; each entry is an item.
        case feed
        /// A Mastodon account (`https://instance/@name` or `@name@instance`): its public statuses
        /// through the public API, page by page.
        case mastodon
        /// A Bluesky account (`https://bsky.app/profile/handle` or a handle): its author feed
        /// through the public AppView, page by page.
        case bluesky
        /// A local WARC file captured by another tool, read record by record.
        case warc
        /// A local HTML, feed or API-answer file.
        case file

        /// Kinds read from disk (`path`) rather than fetched (`url`).
        public var isLocal: Bool { self == .warc || self == .file }
    }

    public var id: String
    public var kind: Kind
    /// An http(s) URL, a social handle, or (for `warc` and `file`) a local path.
    public var url: String
    /// What the analyst knows about the account holder; the strongest ASN signal.
    public var subject: Subject?
    /// For `mastodon` and `bluesky`: how many pages of posts to read per scan.
    public var maxPages: Int
    /// A site profile (by name) that splits this target's HTML into items; without one, a
    /// profile whose `match` covers the URL is used, if any.
    public var profile: String?
    /// The region the target concerns (province, regency), shown in case-file reports.
    public var region: String?
    /// The zone reports show local times in (WIB, WITA, WIT); nil: the post's offset, else WIB.
    public var zone: IndonesianZone?

    public static let defaultMaxPages = 3

    public init(id: String, kind: Kind = .page, url: String, subject: Subject? = nil, maxPages: Int = Target.defaultMaxPages, profile: String? = nil,
                region: String? = nil, zone: IndonesianZone? = nil) {
        self.id = id
        self.kind = kind
        self.url = url
        self.subject = subject
        self.maxPages = maxPages
        self.profile = profile
        self.region = region
        self.zone = zone
    }
}

/// `netral.yaml`: where the packs, state and evidence are, how to fetch, and what to scan.
/// Every default lives here, in one place.
public struct ScanConfig: Sendable {
    public static let supportedFormat = 1
    public static let defaultRulePaths = ["Rules"]
    public static let defaultSitePaths = ["Rules/sites"]
    public static let defaultStatePath = "netral-state/netral.sqlite"
    public static let defaultEvidencePath = "netral-state/evidence"

    public var rulePaths: [String]
    /// Site-profile files or folders.
    public var sitePaths: [String]
    public var statePath: String
    public var evidencePath: String
    public var fetch: FetchOptions
    public var targets: [Target]
    /// The Ed25519 private key file that signs every case file's manifest (`netral keygen`).
    public var signingKeyPath: String?
    /// RFC 3161 time-stamping authorities, tried in order for every manifest.
    public var timestampAuthorities: [TimestampAuthority] = []

    public init(
        rulePaths: [String] = ScanConfig.defaultRulePaths,
        sitePaths: [String] = ScanConfig.defaultSitePaths,
        statePath: String = ScanConfig.defaultStatePath,
        evidencePath: String = ScanConfig.defaultEvidencePath,
        fetch: FetchOptions = FetchOptions(),
        targets: [Target] = []
    ) {
        self.rulePaths = rulePaths
        self.sitePaths = sitePaths
        self.statePath = statePath
        self.evidencePath = evidencePath
        self.fetch = fetch
        self.targets = targets
    }

    static let topKeys = ["format", "rules", "sites", "state", "evidence", "fetch", "targets", "signing_key", "timestamp_authorities"]
    static let fetchKeys = ["user_agent", "connect_timeout", "timeout", "max_redirects", "max_body_bytes"]
    static let targetKeys = ["id", "kind", "url", "path", "subject", "max_pages", "profile", "region", "zone"]

    /// Reads a config file. Relative paths inside it are taken relative to the file's folder.
    /// Every problem is reported at once, as `file:line:col: message`.
    public static func load(path: String) throws(DiagnosticsError) -> ScanConfig {
        let (root, _) = try YAMLDocument.load(path: path)
        let base = (path as NSString).deletingLastPathComponent
        var diagnostics = DiagnosticList()
        let config = parse(root, base: base, into: &diagnostics)
        guard diagnostics.isEmpty, let config else { throw DiagnosticsError(diagnostics.sorted) }
        return config
    }

    static func parse(_ root: YAMLValue, base: String, into diagnostics: inout DiagnosticList) -> ScanConfig? {
        guard let mapping = root.mapping("the configuration", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: topKeys, required: ["format", "targets"], in: "the configuration", into: &diagnostics)
        if let format = mapping["format"], let value = format.integer("format", into: &diagnostics), value != supportedFormat {
            diagnostics.append(format.diagnostic("unsupported configuration format \(value); this Netral reads format \(supportedFormat)"))
        }
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") || base.isEmpty ? path : (base as NSString).appendingPathComponent(path)
        }
        var config = ScanConfig()
        config.rulePaths = config.rulePaths.map(resolve)
        if let rules = mapping["rules"] {
            if rules.isSequence {
                config.rulePaths = (rules.sequence("rules", into: &diagnostics) ?? []).compactMap { $0.string("a rules path", into: &diagnostics) }.map(resolve)
            } else if let single = rules.string("rules", into: &diagnostics) {
                config.rulePaths = [resolve(single)]
            }
        }
        config.sitePaths = config.sitePaths.map(resolve)
        if let sites = mapping["sites"] {
            config.sitePaths = (sites.sequence("sites", into: &diagnostics) ?? []).compactMap { $0.string("a sites path", into: &diagnostics) }.map(resolve)
        }
        config.statePath = resolve(mapping["state"].flatMap { $0.string("state", into: &diagnostics) } ?? defaultStatePath)
        config.evidencePath = resolve(mapping["evidence"].flatMap { $0.string("evidence", into: &diagnostics) } ?? defaultEvidencePath)
        config.signingKeyPath = mapping["signing_key"].flatMap { $0.string("signing_key", into: &diagnostics) }.map(resolve)
        if let list = mapping["timestamp_authorities"]?.sequence("timestamp_authorities", into: &diagnostics) {
            for entry in list {
                guard let authority = entry.mapping("a time-stamping authority", into: &diagnostics) else { continue }
                authority.checkKeys(allowed: ["url", "certificate"], required: ["url", "certificate"], in: "a time-stamping authority", into: &diagnostics)
                guard let url = authority["url"]?.string("url", into: &diagnostics),
                      let certificateValue = authority["certificate"],
                      let certificate = certificateValue.string("certificate", into: &diagnostics) else { continue }
                do {
                    config.timestampAuthorities.append(try TimestampAuthority(url: url, certificateFile: resolve(certificate)))
                } catch {
                    diagnostics.append(certificateValue.diagnostic(error.message))
                }
            }
        }

        if let fetchValue = mapping["fetch"], let fetch = fetchValue.mapping("fetch", into: &diagnostics) {
            fetch.checkKeys(allowed: fetchKeys, in: "fetch", into: &diagnostics)
            if let value = fetch["user_agent"]?.string("fetch.user_agent", into: &diagnostics) { config.fetch.userAgent = value }
            if let value = fetch["connect_timeout"], let seconds = value.number("fetch.connect_timeout", into: &diagnostics) {
                if seconds.isFinite && seconds >= 0.001 && seconds <= 3600 { config.fetch.connectTimeout = seconds } else { diagnostics.append(value.diagnostic("fetch.connect_timeout must be between 0.001 and 3600 seconds")) }
            }
            if let value = fetch["timeout"], let seconds = value.number("fetch.timeout", into: &diagnostics) {
                if seconds.isFinite && seconds >= 0.001 && seconds <= 86400 { config.fetch.totalTimeout = seconds } else { diagnostics.append(value.diagnostic("fetch.timeout must be between 0.001 and 86400 seconds")) }
            }
            if let value = fetch["max_redirects"], let count = value.integer("fetch.max_redirects", into: &diagnostics) {
                if (0...20).contains(count) { config.fetch.maxRedirects = count } else { diagnostics.append(value.diagnostic("fetch.max_redirects must be between 0 and 20")) }
            }
            if let value = fetch["max_body_bytes"], let bytes = value.integer("fetch.max_body_bytes", into: &diagnostics) {
                if bytes > 0 { config.fetch.maxBodyBytes = bytes } else { diagnostics.append(value.diagnostic("fetch.max_body_bytes must be positive")) }
            }
        }

        var seen = Set<String>()
        if let targetsValue = mapping["targets"], let list = targetsValue.sequence("targets", into: &diagnostics) {
            for targetValue in list {
                guard let target = targetValue.mapping("a target", into: &diagnostics) else { continue }
                target.checkKeys(allowed: targetKeys, required: ["id"], in: "a target", into: &diagnostics)
                guard let id = target["id"]?.string("id", into: &diagnostics) else { continue }
                if !seen.insert(id).inserted, let idValue = target["id"] {
                    diagnostics.append(idValue.diagnostic("duplicate target id '\(id)'"))
                }
                var kind = Target.Kind.page
                if let kindValue = target["kind"], let text = kindValue.string("kind", into: &diagnostics) {
                    if let parsed = Target.Kind(rawValue: text) {
                        kind = parsed
                    } else {
                        diagnostics.append(kindValue.diagnostic("unsupported target kind '\(text)'; this version scans: \(Target.Kind.allCases.map(\.rawValue).joined(separator: ", "))"))
                    }
                }
                let subject = target["subject"].flatMap { PackLoader.parseSubject($0, into: &diagnostics) }
                let profile = target["profile"].flatMap { $0.string("profile", into: &diagnostics) }
                let region = target["region"].flatMap { $0.string("region", into: &diagnostics) }
                var zone: IndonesianZone?
                if let zoneValue = target["zone"], let text = zoneValue.string("zone", into: &diagnostics) {
                    zone = IndonesianZone(rawValue: text.uppercased())
                    if zone == nil { diagnostics.append(zoneValue.diagnostic("zone must be WIB, WITA or WIT, found '\(text)'")) }
                }
                var maxPages = Target.defaultMaxPages
                if let pagesValue = target["max_pages"], let pages = pagesValue.integer("max_pages", into: &diagnostics) {
                    if (1...100).contains(pages) { maxPages = pages } else { diagnostics.append(pagesValue.diagnostic("max_pages must be between 1 and 100")) }
                }
                if kind.isLocal {
                    guard let pathValue = target["path"] else {
                        diagnostics.append(target.owner.diagnostic("a \(kind.rawValue) target needs 'path' (a local file)"))
                        continue
                    }
                    guard let path = pathValue.string("path", into: &diagnostics) else { continue }
                    let resolved = resolve(path)
                    if !FileManager.default.fileExists(atPath: resolved) {
                        diagnostics.append(pathValue.diagnostic("no such file: \(resolved)"))
                        continue
                    }
                    config.targets.append(Target(id: id, kind: kind, url: resolved, subject: subject, maxPages: maxPages, profile: profile, region: region, zone: zone))
                    continue
                }
                guard let urlValue = target["url"] else {
                    diagnostics.append(target.owner.diagnostic("a \(kind.rawValue) target needs 'url'"))
                    continue
                }
                guard let url = urlValue.string("url", into: &diagnostics) else { continue }
                let isHandle = (kind == .mastodon || kind == .bluesky) && !url.contains("://")
                if !isHandle {
                    guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host != nil else {
                        diagnostics.append(urlValue.diagnostic("url must be an absolute http or https URL, found '\(url)'"))
                        continue
                    }
                }
                config.targets.append(Target(id: id, kind: kind, url: url, subject: subject, maxPages: maxPages, profile: profile, region: region, zone: zone))
            }
        }
        return config
    }
}
