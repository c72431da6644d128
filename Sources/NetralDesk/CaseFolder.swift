import Crypto
import Foundation
import NetralEvidence
import NetralExtract
import NetralModel
import NetralStore

/// One case file's folder as the desk reads it (problems worded for the reviewer): the manifest, the item and its findings (both
/// already NIP-masked by the writer), and where the report, the archived copy and the photos are.
struct CaseFolder {
    var path: String
    var manifest: CaseManifest
    var item: Item?
    var findings: [Finding]
    /// Problems reading optional parts (shown on the page; the rest still shows).
    var problems: [String]

    /// Image types a browser shows without running anything (no SVG: it can carry scripts).
    static let photoTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]
    /// Largest file the desk reads into memory for one answer.
    static let maxFileBytes = 32 * 1024 * 1024

    /// The folder of a stored case file under the evidence root. The state's path is relative;
    /// one that would leave the root is refused.
    static func folderPath(of caseFile: StoredCaseFile, evidenceRoot: String) throws -> String {
        let parts = caseFile.path.split(separator: "/")
        guard !caseFile.path.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw EvidenceError(path: caseFile.path, message: "keadaan (state) mencatat jalur berkas perkara di luar folder bukti")
        }
        return (evidenceRoot as NSString).appendingPathComponent(caseFile.path)
    }

    static func load(_ caseFile: StoredCaseFile, evidenceRoot: String) throws -> CaseFolder {
        let folder = try folderPath(of: caseFile, evidenceRoot: evidenceRoot)
        let manifestPath = (folder as NSString).appendingPathComponent(CaseManifest.fileName)
        let manifest: CaseManifest
        var problems: [String] = []
        do {
            let manifestData = try readFile(manifestPath)
            // The reviewer should know before deciding when the manifest is not the one the
            // state recorded (the decision records the state's hash).
            if hexString(SHA256.hash(data: manifestData)) != caseFile.manifestSHA256 {
                problems.append("manifest.json berubah sejak berkas ini dicatat: jalankan netral verify sebelum memutuskan")
            }
            manifest = try NetralJSON.decoder().decode(CaseManifest.self, from: manifestData)
        } catch let error as EvidenceError {
            throw error
        } catch {
            throw EvidenceError(path: manifestPath, message: "manifest tidak terbaca: \(error)")
        }
        var item: Item?
        var findings: [Finding] = []
        do {
            item = try NetralJSON.decoder().decode(Item.self, from: try readFile((folder as NSString).appendingPathComponent("item.json")))
        } catch {
            problems.append("item.json tidak terbaca: \(error)")
        }
        do {
            findings = try NetralJSON.decoder().decode([Finding].self, from: try readFile((folder as NSString).appendingPathComponent("findings.json")))
        } catch {
            problems.append("findings.json tidak terbaca: \(error)")
        }
        return CaseFolder(path: folder, manifest: manifest, item: item, findings: findings, problems: problems)
    }

    /// The name of the archived copy (`capture.html`, `capture.json`, ...), as the manifest lists it.
    var captureFileName: String? {
        manifest.files.map(\.path).first { $0.hasPrefix("capture.") && $0 != "capture.warc.gz" }
    }

    func file(_ name: String) throws -> Data {
        guard manifest.files.contains(where: { $0.path == name }) else {
            throw EvidenceError(path: name, message: "bukan berkas dari berkas perkara ini")
        }
        return try Self.readFile((path as NSString).appendingPathComponent(name))
    }

    /// The post's images kept in the capture's WARC (response records of image types, after the
    /// page itself), in order.
    func photos() throws -> [Capture] {
        let warcPath = (path as NSString).appendingPathComponent("capture.warc.gz")
        guard manifest.files.contains(where: { $0.path == "capture.warc.gz" }) else { return [] }
        let reader = try WARCReader(path: warcPath)
        var photos: [Capture] = []
        while let record = try reader.next() {
            guard let capture = try record.responseCapture(), let type = capture.mediaType?.lowercased(), Self.photoTypes.contains(type) else { continue }
            photos.append(capture)
            if photos.count >= CaseFile.maxImages { break }
        }
        return photos
    }

    static func readFile(_ path: String) throws -> Data {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maxFileBytes {
            throw EvidenceError(path: path, message: "lebih besar dari \(maxFileBytes) bita")
        }
        if (attributes?[.type] as? FileAttributeType) == .typeSymbolicLink {
            throw EvidenceError(path: path, message: "berupa tautan simbolik")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvidenceError(path: path, message: "tidak terbaca")
        }
        return data
    }
}
