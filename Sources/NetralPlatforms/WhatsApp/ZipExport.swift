import Foundation
import ZIPFoundation

/// The entries of a `.zip` chat export, read with ZIPFoundation from the bytes in memory: names
/// from the central directory, one entry's bytes on demand, counted as they inflate (a small
/// entry that inflates to gigabytes stops at the limit) and CRC-32 checked.
struct ZipExport {
    struct Entry {
        var name: String
        fileprivate var entry: ZIPFoundation.Entry
    }

    struct Failure: Error, Equatable {
        var reason: String
    }

    private let archive: Archive
    private(set) var entries: [Entry] = []

    static let maxEntries = 20_000

    init(data: Data) throws(Failure) {
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Failure(reason: "no end-of-central-directory record (not a ZIP archive, or cut short)")
        }
        for entry in archive where entry.type == .file {
            guard entries.count < Self.maxEntries else { throw Failure(reason: "more than \(Self.maxEntries) entries") }
            entries.append(Entry(name: entry.path, entry: entry))
        }
    }

    /// The entry's bytes, refused past `limit` bytes (counted as they inflate, whatever the
    /// header declares) or when the CRC-32 does not match.
    func contents(of entry: Entry, limit: Int) throws(Failure) -> Data {
        guard entry.entry.uncompressedSize <= UInt64(limit) else {
            throw Failure(reason: "\(entry.name) declares \(entry.entry.uncompressedSize) bytes, over the limit of \(limit)")
        }
        var output = Data()
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry.entry, skipCRC32: false) { chunk in
                output.append(chunk)
                guard output.count <= limit else { throw Failure(reason: "\(entry.name) inflates past \(limit) bytes (a ZIP bomb?); not read") }
            }
        } catch let failure as Failure {
            throw failure
        } catch Archive.ArchiveError.invalidCompressionMethod {
            throw Failure(reason: "\(entry.name) uses a compression method other than stored or deflate")
        } catch {
            throw Failure(reason: "\(entry.name): the entry is damaged (\(error))")
        }
        guard checksum == entry.entry.checksum else { throw Failure(reason: "\(entry.name): CRC-32 does not match (damaged or altered)") }
        return output
    }
}
