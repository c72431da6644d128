import Foundation
import NetralZlib

/// The entries of a `.zip` chat export: names from the central directory, one entry's bytes
/// inflated on demand with the project's zlib stream (NetralZlib), CRC-32 checked.
///
/// Why not ZIPFoundation: its zlib module is named `CZlib`, like the project's own, and clang
/// refuses two module maps of one name in one compilation (the package's test runner imports
/// every test module, so the whole test build fails). Once the project's module is renamed,
/// this file can become a thin use of `ZIPFoundation.Archive`. Until then: the central
/// directory only (the authoritative list), stored and deflated entries, no ZIP64, no
/// encryption; everything else is refused with its reason.
struct ZipExport {
    struct Entry {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        var isEncrypted: Bool
    }

    struct Failure: Error, Equatable {
        var reason: String
    }

    let data: Data
    private(set) var entries: [Entry] = []

    static let maxEntries = 20_000

    init(data: Data) throws(Failure) {
        self.data = data
        guard data.count >= 22 else { throw Failure(reason: "too short for a ZIP archive") }
        // The end-of-central-directory record: in the last 22 + 65,535 bytes (its comment).
        let searchStart = max(0, data.count - 22 - 65_535)
        var end: Int?
        var position = data.count - 22
        while position >= searchStart {
            if u32(position) == 0x0605_4B50 {
                end = position
                break
            }
            position -= 1
        }
        guard let end else { throw Failure(reason: "no end-of-central-directory record (not a ZIP archive, or cut short)") }
        let count = Int(u16(end + 10))
        let directorySize = Int(u32(end + 12))
        let directoryOffset = Int(u32(end + 16))
        guard count != 0xFFFF, directoryOffset != 0xFFFF_FFFF else { throw Failure(reason: "a ZIP64 archive; not read") }
        guard count <= Self.maxEntries else { throw Failure(reason: "\(count) entries, more than \(Self.maxEntries)") }
        guard directoryOffset + directorySize <= end else { throw Failure(reason: "the central directory lies outside the archive") }
        var offset = directoryOffset
        for index in 0..<count {
            guard offset + 46 <= end, u32(offset) == 0x0201_4B50 else {
                throw Failure(reason: "central directory entry \(index + 1) is damaged (byte \(offset))")
            }
            let flags = u16(offset + 8)
            let method = u16(offset + 10)
            let crc = u32(offset + 16)
            let compressed = Int(u32(offset + 20))
            let uncompressed = Int(u32(offset + 24))
            let nameLength = Int(u16(offset + 28))
            let extraLength = Int(u16(offset + 30))
            let commentLength = Int(u16(offset + 32))
            let localOffset = Int(u32(offset + 42))
            guard offset + 46 + nameLength <= end else { throw Failure(reason: "central directory entry \(index + 1) runs past its end") }
            let nameBytes = data.subdata(in: (offset + 46)..<(offset + 46 + nameLength))
            // Bit 11: UTF-8 names; older exports write CP437, read leniently as UTF-8 too.
            let name = String(decoding: nameBytes, as: UTF8.self)
            entries.append(
                Entry(
                    name: name, method: method, crc32: crc, compressedSize: compressed, uncompressedSize: uncompressed,
                    localHeaderOffset: localOffset, isEncrypted: flags & 1 == 1))
            offset += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The entry's bytes, refused past `limit` bytes (counted as they inflate, whatever the
    /// header declares) or when the CRC-32 does not match.
    func contents(of entry: Entry, limit: Int) throws(Failure) -> Data {
        guard !entry.isEncrypted else { throw Failure(reason: "\(entry.name) is encrypted") }
        guard entry.uncompressedSize <= limit else {
            throw Failure(reason: "\(entry.name) declares \(entry.uncompressedSize) bytes, over the limit of \(limit)")
        }
        let header = entry.localHeaderOffset
        guard header + 30 <= data.count, u32(header) == 0x0403_4B50 else { throw Failure(reason: "\(entry.name): damaged local header") }
        let start = header + 30 + Int(u16(header + 26)) + Int(u16(header + 28))
        guard start + entry.compressedSize <= data.count else { throw Failure(reason: "\(entry.name) runs past the end of the archive") }
        let stored = data.subdata(in: start..<(start + entry.compressedSize))
        let output: Data
        switch entry.method {
        case 0:
            output = stored
        case 8:
            output = try inflate(stored, name: entry.name, limit: limit)
        default:
            throw Failure(reason: "\(entry.name) uses compression method \(entry.method), not stored or deflate")
        }
        guard output.count <= limit else { throw Failure(reason: "\(entry.name) is over the limit of \(limit) bytes") }
        guard CRC32.checksum(output) == entry.crc32 else {
            throw Failure(reason: "\(entry.name): CRC-32 does not match (damaged or altered)")
        }
        return output
    }

    private func inflate(_ input: Data, name: String, limit: Int) throws(Failure) -> Data {
        let inflater: Inflater
        do {
            inflater = try Inflater(format: .rawDeflate)
        } catch {
            throw Failure(reason: error.description)
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var consumedTotal = 0
        while true {
            let step = input.withUnsafeBytes { source in
                buffer.withUnsafeMutableBytes { target in
                    inflater.inflate(input: UnsafeRawBufferPointer(rebasing: source[consumedTotal...]), output: target)
                }
            }
            consumedTotal += step.consumed
            output.append(contentsOf: buffer[0..<step.produced])
            // Counted as it inflates: a small entry that claims little and inflates to gigabytes stops here.
            guard output.count <= limit else { throw Failure(reason: "\(name) inflates past \(limit) bytes (a ZIP bomb?); not read") }
            switch step.status {
            case .streamEnd:
                return output
            case .progress:
                continue
            case .needsMore:
                if step.produced == 0 && step.consumed == 0 { throw Failure(reason: "\(name): the deflate stream is cut short") }
            case let .failed(code):
                throw Failure(reason: "\(name): the deflate stream is damaged (zlib \(code)\(inflater.message.map { ": \($0)" } ?? ""))")
            }
        }
    }

    private func u16(_ offset: Int) -> UInt16 {
        UInt16(data[data.startIndex + offset]) | UInt16(data[data.startIndex + offset + 1]) << 8
    }

    private func u32(_ offset: Int) -> UInt32 {
        UInt32(u16(offset)) | UInt32(u16(offset + 2)) << 16
    }
}

/// CRC-32 (IEEE 802.3, as ZIP uses it), table driven.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
