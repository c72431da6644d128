import Foundation
public import NetralCases
public import NetralEvidence
public import NetralFetch
public import NetralStore
public import NetralYAML

/// `netral.yaml`: where the packs, state and evidence are, how to fetch, and what to scan.
/// Every default lives here, in one place. Reading it is split by job: the state and evidence
/// (`EvidenceConfig`), fetching (`FetchConfig`), each target (`TargetConfig`, with each kind's
/// own keys read by its row in `SourceRegistry`), and the push destinations (`Destination`).
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
    /// Whether the scan reads the words in posts' pictures (`ocr: false` turns it off).
    public var ocr = true

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

    static let topKeys = [
        "format", "rules", "sites", "state", "state_password_env", "evidence", "fetch", "targets", "signing_key",
        "timestamp_authorities", "destinations", "ocr",
    ]

    /// Where the state is: the SQLite file, or the PostgreSQL database with its password source.
    public func stateLocation() throws -> StateLocation {
        try StateLocation.parse(statePath, passwordEnvironment: statePasswordEnvironment)
    }

    /// Reads a config file. Relative paths inside it are taken relative to the file's folder.
    /// Every problem is reported at once, as `file:line:col: message`.
    public static func load(path: String) throws(DiagnosticsError) -> ScanConfig {
        let (root, _) = try YAMLDocument.load(path: path)
        var diagnostics = DiagnosticList()
        let config = parse(root, base: (path as NSString).deletingLastPathComponent, into: &diagnostics)
        guard diagnostics.isEmpty, let config else { throw DiagnosticsError(diagnostics.sorted) }
        return config
    }

    /// Reads a config file and reports every problem at once, without stopping at the first
    /// round: the configuration as far as it could be read (nil when it is not a mapping at all)
    /// and its diagnostics. `netral config check` then also loads its packs and site profiles.
    public static func check(path: String) -> (ScanConfig?, [Diagnostic]) {
        let root: YAMLValue
        do {
            root = try YAMLDocument.load(path: path).value
        } catch {
            return (nil, error.diagnostics)
        }
        var diagnostics = DiagnosticList()
        let config = parse(root, base: (path as NSString).deletingLastPathComponent, into: &diagnostics)
        return (config, diagnostics.sorted)
    }

    static func parse(_ root: YAMLValue, base: String, into diagnostics: inout DiagnosticList) -> ScanConfig? {
        guard let mapping = root.mapping("the configuration", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: topKeys, required: ["format", "targets"], in: "the configuration", into: &diagnostics)
        if let format = mapping["format"], let value = format.integer("format", into: &diagnostics), value != supportedFormat {
            diagnostics.append(format.diagnostic("unsupported configuration format \(value); this Netral reads format \(supportedFormat)"))
        }
        let paths = ConfigPaths(base: base)
        var config = ScanConfig()
        config.rulePaths = config.rulePaths.map(paths.resolve)
        if let rules = mapping["rules"] {
            if rules.isSequence {
                config.rulePaths = (rules.sequence("rules", into: &diagnostics) ?? []).compactMap {
                    $0.string("a rules path", into: &diagnostics)
                }.map(paths.resolve)
            } else if let single = rules.string("rules", into: &diagnostics) {
                config.rulePaths = [paths.resolve(single)]
            }
        }
        config.sitePaths = config.sitePaths.map(paths.resolve)
        if let sites = mapping["sites"] {
            config.sitePaths = []
            for siteValue in sites.sequence("sites", into: &diagnostics) ?? [] {
                guard let text = siteValue.string("a sites path", into: &diagnostics) else { continue }
                let resolved = paths.resolve(text)
                if FileManager.default.fileExists(atPath: resolved) {
                    config.sitePaths.append(resolved)
                } else {
                    diagnostics.append(siteValue.diagnostic("no such site profile file or folder: \(resolved)"))
                }
            }
        }
        EvidenceConfig.parse(mapping, paths: paths, into: &config, diagnostics: &diagnostics)
        if let destinations = mapping["destinations"] {
            config.destinations = Destination.parseList(destinations, into: &diagnostics)
        }
        if let ocr = mapping["ocr"], let enabled = ocr.boolean("ocr", into: &diagnostics) { config.ocr = enabled }
        let userAgentGiven = FetchConfig.parse(mapping["fetch"], into: &config.fetch, diagnostics: &diagnostics)
        if let targetsValue = mapping["targets"], let list = targetsValue.sequence("targets", into: &diagnostics) {
            var seen = Set<String>()
            config.targets = list.compactMap { TargetConfig.parse($0, paths: paths, seen: &seen, diagnostics: &diagnostics) }
        }
        if !userAgentGiven, config.targets.contains(where: { !$0.kind.isLocal }) {
            diagnostics.append(
                mapping.owner.diagnostic(
                    "fetch.user_agent is required when targets are fetched: name yourself and a contact, e.g. \"Netral/0.1 "
                        + "(+https://your-organisation.example/contact)\""
                ))
        }
        return config
    }
}

/// Paths in the configuration are relative to its folder.
struct ConfigPaths {
    var base: String

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") || base.isEmpty ? path : (base as NSString).appendingPathComponent(path)
    }
}
