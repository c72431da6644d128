import Foundation
import Crypto
import NetralModel

/// The outcome of re-hashing one bundle.
public struct BundleCheck: Sendable, Equatable {
    public var path: String
    /// Empty when every file is present and unchanged.
    public var problems: [String]

    public var isIntact: Bool { problems.isEmpty }
}

/// Re-hashes bundles and reports any file that changed, went missing or was added.
public enum BundleVerifier {
    /// Verifies the bundle at `path`, or every bundle below `path` when it is a folder of bundles.
    public static func verify(path: String) -> [BundleCheck] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return [BundleCheck(path: path, problems: ["no such file or directory"])]
        }
        if !isDirectory.boolValue, (path as NSString).lastPathComponent == "manifest.json" {
            return [verifyBundle((path as NSString).deletingLastPathComponent)]
        }
        guard isDirectory.boolValue else {
            return [BundleCheck(path: path, problems: ["not a bundle folder (no manifest.json)"])]
        }
        if fileManager.fileExists(atPath: (path as NSString).appendingPathComponent("manifest.json")) {
            return [verifyBundle(path)]
        }
        var checks: [BundleCheck] = []
        if let enumerator = fileManager.enumerator(atPath: path) {
            var manifests: [String] = []
            while let relative = enumerator.nextObject() as? String {
                if relative.hasPrefix(BundleWriter.temporaryFolder) { continue }
                if (relative as NSString).lastPathComponent == "manifest.json" { manifests.append(relative) }
            }
            for manifest in manifests.sorted() {
                checks.append(verifyBundle((path as NSString).appendingPathComponent((manifest as NSString).deletingLastPathComponent)))
            }
        }
        if checks.isEmpty {
            return [BundleCheck(path: path, problems: ["no bundles found (no manifest.json below this folder)"])]
        }
        return checks
    }

    static func verifyBundle(_ bundle: String) -> BundleCheck {
        let manifestPath = (bundle as NSString).appendingPathComponent("manifest.json")
        let manifest: BundleManifest
        do {
            manifest = try NetralJSON.decoder().decode(BundleManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        } catch {
            return BundleCheck(path: bundle, problems: ["manifest.json is unreadable: \(error.localizedDescription)"])
        }
        var problems: [String] = []
        var listed = Set<String>(["manifest.json"])
        for file in manifest.files {
            listed.insert(file.path)
            if file.path.contains("..") || file.path.hasPrefix("/") {
                problems.append("manifest lists a path outside the bundle: \(file.path)")
                continue
            }
            let filePath = (bundle as NSString).appendingPathComponent(file.path)
            guard let data = FileManager.default.contents(atPath: filePath) else {
                problems.append("missing file: \(file.path)")
                continue
            }
            let digest = hexString(SHA256.hash(data: data))
            if digest != file.sha256 || data.count != file.size {
                problems.append("changed file: \(file.path) (sha256 \(digest), \(data.count) bytes; manifest says \(file.sha256), \(file.size) bytes)")
            }
        }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: bundle)) ?? []
        for name in present.sorted() where !listed.contains(name) {
            problems.append("file not in manifest: \(name)")
        }
        return BundleCheck(path: bundle, problems: problems)
    }
}
