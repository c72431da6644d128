import Foundation
public import NetralCases
public import NetralEvidence
public import NetralFetch
public import NetralModel
import NetralRules
public import NetralStore
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
        /// A campaign account registered with KPU on Mastodon or Bluesky (`platform:`): its
        /// recent posts are read, and every account that replied to, boosted or reposted, or
        /// favourited or liked one is judged (its profile looked up once per run).
        case campaignAccount = "campaign-account"
        /// A sitemap (`sitemap.xml`, a sitemap index, gzip): its pages, fetched and judged like
        /// `page` targets, those whose `lastmod` is older than their last fetch skipped.
        case sitemap
        /// A hashtag on a Mastodon instance (`https://instance/tags/NAME` or `#NAME@instance`):
        /// the public tag timeline, page by page; each post judged with its author's profile.
        case hashtag
        /// Bluesky keyword search (`query:`) through a signed-in session at `url` (a PDS such
        /// as https://bsky.social), with an app password from the variable `auth_env` names.
        case search

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
    /// Seconds between scans of this target; nil means due on every run.
    public var every: Double?
    /// Connect to loopback, private, link-local or multicast addresses (off by default, also on
    /// redirects).
    public var allowPrivate: Bool
    /// Set when the target ignores robots.txt: the reason the operator gave (`robots: ignore`
    /// with `reason:`), kept in the state and the summary.
    public var robotsIgnoredBecause: String?
    /// The environment variable holding `user:password` for HTTP Basic. Never the value itself.
    public var credentialsVariable: String?
    /// The region the target concerns (province, regency), shown in case-file reports.
    public var region: String?
    /// The zone reports show local times in (WIB, WITA, WIT); nil: the post's offset, else WIB.
    public var zone: IndonesianZone?

    /// For `campaign-account`: which network the account is on.
    public var platform: SocialPlatform?
    /// For `bluesky` and `campaign-account` on Bluesky: the AppView's XRPC base URL.
    public var appView: String?
    /// For `campaign-account`: how much of the interactions to read.
    public var interactionCaps = InteractionCaps()
    /// For `page` and `sitemap`: links followed within the site.
    public var follow: FollowRule?
    /// For `search`: the words searched for.
    public var query: String?

    public static let defaultMaxPages = 3

    public init(id: String, kind: Kind = .page, url: String, subject: Subject? = nil, maxPages: Int = Target.defaultMaxPages, profile: String? = nil,
                every: Double? = nil, allowPrivate: Bool = false, robotsIgnoredBecause: String? = nil, credentialsVariable: String? = nil,
                region: String? = nil, zone: IndonesianZone? = nil) {
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
    }

    /// Reads `every:` values: seconds as a number, or a number with s, m, h or d (`30m`, `6h`).
    static func interval(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = trimmed.last, let factor = units[unit], let value = Double(trimmed.dropLast()), value.isFinite, value > 0 {
            return value * factor
        }
        if let value = Double(trimmed), value.isFinite, value > 0 { return value }
        return nil
    }

    /// Why a target id or URL cannot be used, or nil. Ids name bundles, log lines and state rows.
    static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "a target id must not be empty" }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        if id.count > 100 || id.unicodeScalars.contains(where: { !allowed.contains($0) }) || id.hasPrefix(".") || id.hasPrefix("-") {
            return "target id '\(id)' must be 1-100 letters, digits, '.', '_' or '-', not starting with '.' or '-'"
        }
        return nil
    }

    /// The offset and message of the first character a URL must not contain, or nil.
    static func urlCharacterProblem(_ url: String) -> (offset: Int, message: String)? {
        for (offset, scalar) in url.unicodeScalars.enumerated() {
            if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
                return (offset, "url contains whitespace or a control character; percent-encode it (%20)")
            }
            if "<>\"{}|\\^`".unicodeScalars.contains(scalar) {
                return (offset, "url contains '\(scalar)', which a URL may not hold unencoded")
            }
        }
        return nil
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
    /// A SQLite file path, or a `postgres://user@host:port/database` URL (not resolved as a path).
    public var statePath: String
    /// The environment variable holding the PostgreSQL password (`state_password_env`).
    public var statePasswordEnvironment: String?
    public var evidencePath: String
    public var fetch: FetchOptions
    public var targets: [Target]
    /// The Ed25519 private key file that signs every case file's manifest (`netral keygen`).
    public var signingKeyPath: String?
    /// RFC 3161 time-stamping authorities, tried in order for every manifest.
    public var timestampAuthorities: [TimestampAuthority] = []
    /// Where `netral push` sends case files (`destinations:`).
    public var destinations: [Destination] = []

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

    static let topKeys = ["format", "rules", "sites", "state", "state_password_env", "evidence", "fetch", "targets", "signing_key",
                          "timestamp_authorities", "destinations"]

    /// Where the state is: the SQLite file, or the PostgreSQL database with its password source.
    public func stateLocation() throws -> StateLocation {
        try StateLocation.parse(statePath, passwordEnvironment: statePasswordEnvironment)
    }
    static let fetchKeys = ["user_agent", "connect_timeout", "timeout", "max_redirects", "max_body_bytes", "max_header_bytes",
                            "concurrency", "per_host", "per_host_delay", "low_speed_limit", "low_speed_time",
                            "attempts", "retry_base_delay", "retry_after_cap", "resolve"]
    static let targetKeys = ["id", "kind", "url", "path", "subject", "max_pages", "profile", "every", "allow_private", "robots", "reason", "auth_env", "region", "zone",
                             "platform", "appview", "max_posts", "max_interactions", "max_profiles", "follow", "query"]

    /// True when a User-Agent names a way to reach the operator: a URL or an e-mail address.
    static func namesContact(_ userAgent: String) -> Bool {
        let lower = userAgent.lowercased()
        if lower.contains("http://") || lower.contains("https://") || lower.contains("mailto:") { return true }
        return userAgent.split(whereSeparator: { " ();<>".contains($0) }).contains { word in
            let parts = word.split(separator: "@")
            return parts.count == 2 && parts[1].contains(".")
        }
    }

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
        var userAgentGiven = false
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
            config.sitePaths = []
            for siteValue in sites.sequence("sites", into: &diagnostics) ?? [] {
                guard let text = siteValue.string("a sites path", into: &diagnostics) else { continue }
                let resolved = resolve(text)
                if FileManager.default.fileExists(atPath: resolved) {
                    config.sitePaths.append(resolved)
                } else {
                    diagnostics.append(siteValue.diagnostic("no such site profile file or folder: \(resolved)"))
                }
            }
        }
        let stateValue = mapping["state"]
        let state = stateValue.flatMap { $0.string("state", into: &diagnostics) } ?? defaultStatePath
        config.statePath = StateLocation.isURL(state) ? state : resolve(state)
        config.statePasswordEnvironment = mapping["state_password_env"].flatMap { $0.string("state_password_env", into: &diagnostics) }
        if let stateValue, StateLocation.isURL(state) {
            do {
                _ = try PostgresLocation(url: state)
            } catch {
                // The URL is not echoed: it might hold a password.
                diagnostics.append(stateValue.diagnostic("\(error)"))
            }
        } else if let variable = mapping["state_password_env"] {
            diagnostics.append(variable.diagnostic("state_password_env applies only to a postgres:// state"))
        }
        config.evidencePath = resolve(mapping["evidence"].flatMap { $0.string("evidence", into: &diagnostics) } ?? defaultEvidencePath)
        config.signingKeyPath = mapping["signing_key"].flatMap { $0.string("signing_key", into: &diagnostics) }.map(resolve)
        if let list = mapping["timestamp_authorities"]?.sequence("timestamp_authorities", into: &diagnostics) {
            for entry in list {
                guard let authority = entry.mapping("a time-stamping authority", into: &diagnostics) else { continue }
                authority.checkKeys(allowed: ["url", "certificate", "allow_private"], required: ["url", "certificate"], in: "a time-stamping authority",
                                    into: &diagnostics)
                let allowPrivate = authority["allow_private"].flatMap { $0.boolean("allow_private", into: &diagnostics) } ?? false
                guard let url = authority["url"]?.string("url", into: &diagnostics),
                      let certificateValue = authority["certificate"],
                      let certificate = certificateValue.string("certificate", into: &diagnostics) else { continue }
                do {
                    config.timestampAuthorities.append(try TimestampAuthority(url: url, certificateFile: resolve(certificate), allowPrivate: allowPrivate))
                } catch {
                    diagnostics.append(certificateValue.diagnostic(error.message))
                }
            }
        }

        if let destinations = mapping["destinations"] {
            config.destinations = Destination.parseList(destinations, into: &diagnostics)
        }

        if let fetchValue = mapping["fetch"], let fetch = fetchValue.mapping("fetch", into: &diagnostics) {
            fetch.checkKeys(allowed: fetchKeys, in: "fetch", into: &diagnostics)
            if let uaValue = fetch["user_agent"], let value = uaValue.string("fetch.user_agent", into: &diagnostics) {
                if namesContact(value) {
                    config.fetch.userAgent = value
                    userAgentGiven = true
                } else {
                    diagnostics.append(uaValue.diagnostic("fetch.user_agent must name a contact (a URL or an e-mail address), so site owners can reach you"))
                    userAgentGiven = true
                }
            }
            func count(_ key: String, _ range: ClosedRange<Int>, _ apply: (Int) -> Void) {
                guard let value = fetch[key], let number = value.integer("fetch.\(key)", into: &diagnostics) else { return }
                if range.contains(number) { apply(number) } else { diagnostics.append(value.diagnostic("fetch.\(key) must be between \(range.lowerBound) and \(range.upperBound)")) }
            }
            func seconds(_ key: String, _ range: ClosedRange<Double>, _ apply: (Double) -> Void) {
                guard let value = fetch[key], let number = value.number("fetch.\(key)", into: &diagnostics) else { return }
                if number.isFinite && range.contains(number) { apply(number) } else { diagnostics.append(value.diagnostic("fetch.\(key) must be between \(range.lowerBound) and \(range.upperBound) seconds")) }
            }
            count("max_header_bytes", 1024...(1 << 20)) { config.fetch.maxHeaderBytes = $0 }
            count("concurrency", 1...256) { config.fetch.maxConcurrency = $0 }
            count("per_host", 1...64) { config.fetch.perHostConcurrency = $0 }
            seconds("per_host_delay", 0...3600) { config.fetch.perHostDelay = $0 }
            count("low_speed_limit", 1...(1 << 30)) { config.fetch.lowSpeedLimit = $0 }
            count("low_speed_time", 1...3600) { config.fetch.lowSpeedTime = $0 }
            count("attempts", 1...10) { config.fetch.maxAttempts = $0 }
            seconds("retry_base_delay", 0...600) { config.fetch.retryBaseDelay = $0 }
            seconds("retry_after_cap", 0...3600) { config.fetch.retryAfterCap = $0 }
            if let resolveValue = fetch["resolve"], let entries = resolveValue.sequence("fetch.resolve", into: &diagnostics) {
                for entry in entries {
                    guard let text = entry.string("a resolve entry", into: &diagnostics, allowPlainNumbers: false) else { continue }
                    let parts = text.split(separator: ":", maxSplits: 2)
                    if parts.count == 3, !parts[0].isEmpty, Int(parts[1]) != nil, !parts[2].isEmpty {
                        config.fetch.resolve.append(text)
                    } else {
                        diagnostics.append(entry.diagnostic("a resolve entry is host:port:address (as curl --resolve), found '\(text)'"))
                    }
                }
            }
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
                guard let idValue = target["id"], let id = idValue.string("id", into: &diagnostics, allowPlainNumbers: true) else { continue }
                if let problem = Target.idProblem(id) {
                    diagnostics.append(idValue.diagnostic(problem))
                    continue
                }
                var every: Double?
                if let everyValue = target["every"], let text = everyValue.string("every", into: &diagnostics, allowPlainNumbers: true) {
                    if let seconds = Target.interval(text), seconds >= 1, seconds <= 366 * 86400 { every = seconds } else {
                        diagnostics.append(everyValue.diagnostic("every must be an interval such as 90s, 30m, 6h or 1d (1 second to 366 days), found '\(text)'"))
                    }
                }
                let allowPrivate = target["allow_private"].flatMap { $0.boolean("allow_private", into: &diagnostics) } ?? false
                var robotsReason: String?
                if let robotsValue = target["robots"], let text = robotsValue.string("robots", into: &diagnostics) {
                    if text == "ignore" {
                        let reason = target["reason"].flatMap { $0.string("reason", into: &diagnostics) }?.trimmingCharacters(in: .whitespacesAndNewlines)
                        if let reason, !reason.isEmpty { robotsReason = reason } else {
                            diagnostics.append(robotsValue.diagnostic("robots: ignore needs a 'reason:' saying why (it is kept in the state and the summary)"))
                        }
                    } else if text != "obey" {
                        diagnostics.append(robotsValue.diagnostic("robots must be 'obey' (the default) or 'ignore', found '\(text)'"))
                    }
                } else if let reasonValue = target["reason"] {
                    diagnostics.append(reasonValue.diagnostic("'reason' belongs to robots: ignore"))
                }
                var credentialsVariable: String?
                if let envValue = target["auth_env"], let name = envValue.string("auth_env", into: &diagnostics) {
                    let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_").contains($0) } && !(name.first?.isNumber ?? true)
                    if valid { credentialsVariable = name } else {
                        diagnostics.append(envValue.diagnostic("auth_env names an environment variable (A-Z, 0-9, _), found '\(name)'"))
                    }
                }
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
                // A sitemap's pages are many; an API's pages hold up to 100 posts each.
                var maxPages = kind == .sitemap ? FollowRule.defaultSitemapPages : Target.defaultMaxPages
                let pagesRange = kind == .sitemap ? 1...FollowRule.maxPages : 1...100
                if let pagesValue = target["max_pages"], let pages = pagesValue.integer("max_pages", into: &diagnostics) {
                    if pagesRange.contains(pages) { maxPages = pages } else {
                        diagnostics.append(pagesValue.diagnostic("max_pages must be between \(pagesRange.lowerBound) and \(pagesRange.upperBound)"))
                    }
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
                    var local = Target(id: id, kind: kind, url: resolved, subject: subject, maxPages: maxPages, profile: profile,
                                       every: every, allowPrivate: allowPrivate, robotsIgnoredBecause: robotsReason,
                                       region: region, zone: zone)
                    // Only refuses keys that do not belong to a local file.
                    _ = parseSocialKeys(target, into: &local, diagnostics: &diagnostics)
                    config.targets.append(local)
                    continue
                }
                guard let urlValue = target["url"] else {
                    diagnostics.append(target.owner.diagnostic("a \(kind.rawValue) target needs 'url'"))
                    continue
                }
                guard let url = urlValue.string("url", into: &diagnostics) else { continue }
                if let problem = Target.urlCharacterProblem(url) {
                    diagnostics.append(urlValue.diagnostic(problem.message, atOffset: problem.offset))
                    continue
                }
                let isHandle = (kind == .mastodon || kind == .bluesky || kind == .campaignAccount || kind == .hashtag) && !url.contains("://")
                if !isHandle {
                    guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
                          let host = parsed.host, !host.isEmpty else {
                        diagnostics.append(urlValue.diagnostic("url must be an absolute http or https URL, found '\(url)'"))
                        continue
                    }
                    if parsed.user != nil || parsed.password != nil {
                        // Never echo the URL: it holds a secret.
                        let offset = (url.range(of: "://").map { url.distance(from: url.startIndex, to: $0.upperBound) }) ?? 0
                        diagnostics.append(urlValue.diagnostic("credentials in a URL are refused (they would reach logs, state and evidence); put 'user:password' in an environment variable and name it with auth_env", atOffset: offset))
                        continue
                    }
                }
                var fetched = Target(id: id, kind: kind, url: url, subject: subject, maxPages: maxPages, profile: profile,
                                     every: every, allowPrivate: allowPrivate, robotsIgnoredBecause: robotsReason,
                                     credentialsVariable: credentialsVariable, region: region, zone: zone)
                guard parseSocialKeys(target, into: &fetched, diagnostics: &diagnostics) else { continue }
                config.targets.append(fetched)
            }
        }
        if !userAgentGiven, config.targets.contains(where: { !$0.kind.isLocal }) {
            diagnostics.append(mapping.owner.diagnostic("fetch.user_agent is required when targets are fetched: name yourself and a contact, e.g. \"Netral/0.1 (+https://your-organisation.example/contact)\""))
        }
        return config
    }
}
