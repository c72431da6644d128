import Foundation
public import Logging
import NetralFetch
import NetralRules
public import NetralScan
import NetralYAML

/// `netral demo`: serve the labelled demo site on loopback, scan it through libcurl with the
/// shipped packs, write state and evidence to an output folder, and compare with the labels.
public struct Demo: Sendable {
    public var siteFolder: String
    public var rulePaths: [String]
    public var outputFolder: String

    public static let defaultSiteFolder = "Fixtures/demo-site"
    public static let defaultOutputFolder = "netral-demo"
    /// Marks a folder as demo output, so a re-run may replace it and nothing else.
    static let markerFile = ".netral-demo"

    public init(
        siteFolder: String = Demo.defaultSiteFolder,
        rulePaths: [String] = ScanConfig.defaultRulePaths,
        outputFolder: String = Demo.defaultOutputFolder
    ) {
        self.siteFolder = siteFolder
        self.rulePaths = rulePaths
        self.outputFolder = outputFolder
    }

    public struct Result: Sendable {
        public var summary: ScanSummary
        /// Pages whose findings differ from the labels; empty when all match.
        public var mismatches: [String]
        public var pages: Int
        public var baseURL: String
    }

    public enum Failure: Error, CustomStringConvertible {
        case outputNotOurs(String)

        public var description: String {
            switch self {
            case .outputNotOurs(let path):
                "\(path) exists and was not written by netral demo; move it away or pass --output"
            }
        }
    }

    /// Loads labels and packs first (throwing `DiagnosticsError` on bad input, before anything
    /// is written), then serves, scans and compares.
    public func run(logger: Logger) async throws -> Result {
        let manifest = try SiteManifest.load(siteFolder: siteFolder)
        let ruleSet = try PackLoader.load(paths: rulePaths)
        try prepareOutput()

        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        let site = siteFolder, output = outputFolder
        return try await DemoSiteServer.withServer(serving: site, logger: serverLogger) { baseURL in
            let targets = manifest.pages.map { page in
                // The demo site is on loopback, which scans refuse unless a target allows it.
                Target(id: page.path, kind: .page, url: baseURL + page.path, allowPrivate: true)
            }
            let config = ScanConfig(
                rulePaths: [],
                statePath: (output as NSString).appendingPathComponent("state.sqlite"),
                evidencePath: (output as NSString).appendingPathComponent("evidence"),
                // One local server: no need to wait between requests to it.
                fetch: FetchOptions(perHostConcurrency: 4, perHostDelay: 0),
                targets: targets
            )
            let summary = try await Scanner(config: config, ruleSet: ruleSet).run(logger: logger)
            let byPage = Dictionary(grouping: summary.findings, by: \.target).mapValues { $0.map(\.rule) }
            var mismatches = manifest.mismatches(findingsByPage: byPage)
            mismatches += summary.failures.map { "\($0.target): \($0.error)" }
            return Result(summary: summary, mismatches: mismatches, pages: manifest.pages.count, baseURL: baseURL)
        }
    }

    /// Starts from an empty output folder, so each demo shows the same result. Only a folder
    /// the demo made itself is replaced.
    func prepareOutput() throws {
        let fileManager = FileManager.default
        let marker = (outputFolder as NSString).appendingPathComponent(Self.markerFile)
        if fileManager.fileExists(atPath: outputFolder) {
            guard fileManager.fileExists(atPath: marker) else { throw Failure.outputNotOurs(outputFolder) }
            try fileManager.removeItem(atPath: outputFolder)
        }
        try fileManager.createDirectory(atPath: outputFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        _ = fileManager.createFile(atPath: marker, contents: Data("netral demo output; safe to delete\n".utf8))
    }
}
