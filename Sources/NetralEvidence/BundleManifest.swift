public import Foundation
public import NetralModel

/// `manifest.json` of an evidence bundle: what the bundle is and the hash of every file in it.
public struct BundleManifest: Codable, Sendable, Equatable {
    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
    }

    public struct File: Codable, Sendable, Equatable {
        /// Relative to the bundle folder.
        public var path: String
        /// Lowercase hex SHA-256 of the file's bytes.
        public var sha256: String
        public var size: Int
    }

    /// The manifest layout version.
    public var format: Int
    public var findingID: String
    public var rule: String
    public var act: String
    public var severity: Severity
    public var sourceURL: String
    public var fetchedAt: Date
    public var createdAt: Date
    public var tool: Tool
    /// Every rule pack that was loaded when the item was judged.
    public var packs: [PackReference]
    public var files: [File]
}
