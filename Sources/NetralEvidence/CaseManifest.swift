public import Foundation
public import NetralModel

/// `manifest.json` of a case file: what the case is, which acts it holds, what it replaces,
/// and the hash of every other file in it. `signature.json` signs these exact bytes.
public struct CaseManifest: Codable, Sendable, Equatable {
    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
    }

    public struct File: Codable, Sendable, Equatable {
        /// Relative to the case-file folder.
        public var path: String
        /// Lowercase hex SHA-256 of the file's bytes.
        public var sha256: String
        public var size: Int
    }

    /// One act found on the item.
    public struct Act: Codable, Sendable, Equatable {
        public var findingID: String
        public var rule: String
        public var act: String
        public var severity: Severity
        public var score: Double
    }

    /// The earlier case file of the same item, and what changed since.
    public struct Supersedes: Codable, Sendable, Equatable {
        public var caseID: String
        /// Relative to the evidence root.
        public var path: String
        /// Lowercase hex SHA-256 of the earlier `manifest.json`.
        public var manifestDigest: String
        /// What changed, in Bahasa Indonesia (the report shows these lines).
        public var changes: [String]
    }

    /// The manifest layout version: 2 is one case file per item.
    public var format: Int
    public var caseID: String
    /// The item's identity (canonical URL, else source URL).
    public var itemID: String
    public var contentDigest: String
    public var sourceURL: String
    public var fetchedAt: Date
    public var createdAt: Date
    public var severity: Severity
    public var acts: [Act]
    public var supersedes: Supersedes?
    /// Set when the capture was read from another tool's WARC file.
    public var source: SourceRecord?
    public var region: String?
    public var tool: Tool
    /// Every rule pack that was loaded when the item was judged.
    public var packs: [PackReference]
    public var files: [File]

    public static let fileName = "manifest.json"
    public static let currentFormat = 2
}
