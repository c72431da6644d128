public import Foundation
public import NetralModel
import NetralZlib

/// One WARC record: its header fields and its content block.
///
/// - SeeAlso: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/
public struct WARCRecord: Sendable, Equatable {
    /// `WARC/1.0` or `WARC/1.1`.
    public var version: String
    /// The record's named fields, in order, names as written.
    public var headers: [HTTPHeader]
    /// The declared length of the block.
    public var contentLength: Int64
    /// The block (for a response record: the HTTP status line, headers and body). Empty when
    /// `isBlockOmitted`.
    public var block: Data
    /// True when the block was larger than the reader's limit and was skipped unread.
    public var isBlockOmitted: Bool
    /// Where the record starts in the file; for a gzipped file, the offset of the gzip member that
    /// holds it (the offset `warcio index` and CDX files give).
    public var offset: Int64

    public init(version: String, headers: [HTTPHeader], contentLength: Int64, block: Data, isBlockOmitted: Bool = false, offset: Int64) {
        self.version = version
        self.headers = headers
        self.contentLength = contentLength
        self.block = block
        self.isBlockOmitted = isBlockOmitted
        self.offset = offset
    }

    /// The value of the first field with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// `warcinfo`, `response`, `request`, `resource`, `metadata`, `revisit`, `conversion`, `continuation`.
    public var type: String? { header("WARC-Type")?.lowercased() }
    public var recordID: String? { header("WARC-Record-ID") }

    /// The URI the record is about; the angle brackets some WARC/1.0 writers add are removed.
    public var targetURI: String? {
        guard var value = header("WARC-Target-URI")?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if value.hasPrefix("<") && value.hasSuffix(">") { value = String(value.dropFirst().dropLast()) }
        return value
    }

    public var date: Date? { header("WARC-Date").flatMap(Self.parseDate) }

    /// `WARC-Date` as W3C-DTF writes it (`2024-01-21T03:00:00Z`, with or without fractional
    /// seconds, or a zone offset); a writer that left out the time gives the day at 00:00 UTC.
    static func parseDate(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().year().month().day().dateSeparator(.dash).parse(text)
    }

    /// The HTTP response of a `response` record as a `Capture`, with the body de-chunked and
    /// content-decoded (gzip, deflate) up to `maxBodyBytes`. Nil for other record types and for
    /// responses that are not HTTP (such as `dns:` records).
    ///
    /// - Throws: `WARCReadError.invalidRecord` when the HTTP message cannot be read or its body
    ///   cannot be decoded.
    public func responseCapture(maxBodyBytes: Int = WARCReader.defaultMaxBlockBytes) throws -> Capture? {
        guard type == "response", !isBlockOmitted else { return nil }
        if let contentType = header("Content-Type")?.lowercased(), !contentType.hasPrefix("application/http") {
            return nil
        }
        let source = targetURI ?? "record \(recordID ?? "?")"
        guard let uri = targetURI else {
            throw WARCReadError.invalidRecord(source: source, offset: offset, reason: "response record without WARC-Target-URI")
        }
        let message: HTTPResponseMessage
        do {
            message = try HTTPResponseMessage(block: [UInt8](block), maxBodyBytes: maxBodyBytes)
        } catch {
            throw WARCReadError.invalidRecord(source: uri, offset: offset, reason: error.reason)
        }
        return Capture(
            requestURL: uri,
            finalURL: uri,
            status: message.status,
            headers: message.headers,
            body: message.body,
            fetchedAt: date ?? Date(timeIntervalSince1970: 0),
            peerIP: header("WARC-IP-Address")
        )
    }
}

/// A response record read as a capture, with where it came from.
public struct WARCCapture: Sendable, Equatable {
    public var capture: Capture
    /// The record's offset in the file (see `WARCRecord.offset`).
    public var recordOffset: Int64
    public var recordID: String?
    /// The record's `WARC-Payload-Digest` (else `WARC-Block-Digest`), as the file states it.
    public var payloadDigest: String? = nil
}

/// Reads a WARC file (WARC/1.0 or 1.1; plain, gzip per record, or one gzip stream) record by
/// record, without ever holding more than one record's block in memory.
///
/// Bytes are read in 64 KiB chunks through a `FileHandle` and inflated with zlib as they come, so
/// memory stays flat on a multi-gigabyte file. A block larger than `maxBlockBytes` is skipped
/// (decompressed and dropped) and reported in `warnings`.
///
/// Damaged files: a record whose Content-Length is wrong is skipped and the reader resumes at the
/// next `WARC/1.` header, with a warning naming the byte offset; a file that ends inside a record
/// or a gzip member throws a `WARCReadError` naming the offset, after every earlier record has been
/// returned. After an error `next()` returns nil.
///
/// ```swift
/// let reader = try WARCReader(path: "crawl.warc.gz")
/// while let response = try reader.nextCapture() {
///     print(response.capture.finalURL, response.capture.status)
/// }
/// ```
public final class WARCReader {
    public static let defaultMaxBlockBytes = 10 * 1024 * 1024
    /// At most this many warnings are kept; the rest are counted in the last one.
    static let maxWarnings = 1000

    /// The path or URL the WARC was read from, as errors and warnings name it.
    public let source: String
    public let maxBlockBytes: Int
    /// Records skipped and why, in file order.
    public private(set) var warnings: [String] = []

    private let input: WARCInput
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Decompressed position of `buffer[0]`.
    private var bufferStart: Int64 = 0
    private var exhausted = false
    private var finished = false
    private var recordsRead = 0
    private var droppedWarnings = 0
    /// An error met while looking past the end of a good record, thrown on the next call.
    private var pendingError: (any Error)?

    /// Opens a WARC file for streaming.
    ///
    /// - Throws: `WARCReadError.unreadableFile` when the file cannot be opened.
    public convenience init(path: String, maxBlockBytes: Int = WARCReader.defaultMaxBlockBytes) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw WARCReadError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        try self.init(raw: .file(handle), source: path, maxBlockBytes: maxBlockBytes)
    }

    /// Reads a WARC already in memory (a fetched `.warc.gz`, say); `source` names it in messages.
    public convenience init(data: Data, source: String, maxBlockBytes: Int = WARCReader.defaultMaxBlockBytes) throws {
        try self.init(raw: .memory(data, position: 0), source: source, maxBlockBytes: maxBlockBytes)
    }

    private init(raw: RawSource, source: String, maxBlockBytes: Int) throws {
        self.source = source
        self.maxBlockBytes = max(0, maxBlockBytes)
        input = try WARCInput(raw: raw, source: source)
    }

    /// The next record of any type, or nil at the end of the file.
    ///
    /// - Throws: `WARCReadError` when the file is not a WARC, ends inside a record, or holds a gzip
    ///   member zlib cannot read. Records before the damage have already been returned.
    public func next() throws -> WARCRecord? {
        if let pendingError {
            self.pendingError = nil
            finished = true
            throw pendingError
        }
        guard !finished else { return nil }
        do {
            guard let record = try readRecord() else {
                finished = true
                return nil
            }
            return record
        } catch {
            finished = true
            throw error
        }
    }

    /// The next `response` record that holds an HTTP response, as a capture. Other record types
    /// are passed over; responses that cannot be read are passed over with a warning.
    public func nextCapture() throws -> WARCCapture? {
        while let record = try next() {
            guard record.type == "response" else { continue }
            if record.isBlockOmitted { continue }
            do {
                if let capture = try record.responseCapture(maxBodyBytes: maxBlockBytes) {
                    return WARCCapture(capture: capture, recordOffset: record.offset, recordID: record.recordID,
                                       payloadDigest: record.header("WARC-Payload-Digest") ?? record.header("WARC-Block-Digest"))
                }
            } catch {
                warn("\(error)")
            }
        }
        return nil
    }

    // MARK: - Records

    private static let magic = Array("WARC/1.".utf8)

    private func readRecord() throws -> WARCRecord? {
        while true {
            guard try skipLineBreaks() else {
                return nil
            }
            let start = position
            input.forget(before: start)
            let offset = input.fileOffset(of: start)
            guard try startsWithMagic() else {
                // Before any record, anything but a WARC header means this is not a WARC file;
                // scanning a multi-gigabyte non-WARC for a header would only waste time.
                if recordsRead == 0 && warnings.isEmpty {
                    throw WARCReadError.notWARC(source: source, found: try preview())
                }
                try resynchronize("bytes that are not a WARC record at byte offset \(offset)")
                continue
            }
            guard case let .line(versionLine) = try readLine(limit: 64) else {
                try resynchronize("an unreadable WARC version line at byte offset \(offset)")
                continue
            }
            let version = String(decoding: versionLine, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard let headers = try readHeaders(offset: offset) else { continue }
            recordsRead += 1
            let described = describe(headers: headers, offset: offset)
            guard let lengthText = headers.last(where: { $0.name.caseInsensitiveCompare("Content-Length") == .orderedSame })?.value,
                  let length = Int64(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0
            else {
                try resynchronize("\(described) has no valid Content-Length")
                continue
            }
            if length > Int64(maxBlockBytes) {
                let skipped = try skip(length)
                guard skipped == length else {
                    throw WARCReadError.truncatedRecord(source: source, offset: offset, declared: length, available: skipped)
                }
                guard try recordEndFollows() else {
                    try resynchronize("\(described): Content-Length \(length) does not end where the record ends")
                    continue
                }
                warn("\(source): \(described): block of \(length) bytes is larger than the limit of \(maxBlockBytes) bytes; skipped")
                return WARCRecord(version: version, headers: headers, contentLength: length, block: Data(), isBlockOmitted: true, offset: offset)
            }
            let block = try readBlock(Int(length))
            if block.count < Int(length) {
                // The file ends inside the block: resume if another record starts inside it.
                pushBack(block[...])
                guard try skipToMagic() else {
                    throw WARCReadError.truncatedRecord(source: source, offset: offset, declared: length, available: Int64(block.count))
                }
                warn("\(source): \(described): Content-Length \(length) runs past the end of the file, but another record starts before; skipped to that record at byte offset \(input.fileOffset(of: position))")
                continue
            }
            guard try recordEndFollows() else {
                // Content-Length too long (the block swallowed the start of the next record) or
                // too short (the record goes on past it): look for the next record from the
                // block's second byte on.
                pushBack(block[...])
                try resynchronize("\(described): Content-Length \(length) does not end where the record ends")
                continue
            }
            return WARCRecord(version: version, headers: headers, contentLength: length, block: Data(block), offset: offset)
        }
    }

    /// Reads named fields up to the empty line; nil (after resynchronising) if they are malformed.
    private func readHeaders(offset: Int64) throws -> [HTTPHeader]? {
        var headers: [HTTPHeader] = []
        while true {
            switch try readLine(limit: 64 * 1024) {
            case .end:
                throw WARCReadError.invalidRecord(source: source, offset: offset, reason: "the file ends inside the record header")
            case .tooLong:
                try resynchronize("record at byte offset \(offset) has a header line longer than 64 KiB")
                return nil
            case let .line(bytes):
                if bytes.isEmpty { return headers }
                let text = String(decoding: bytes, as: UTF8.self)
                if let first = text.unicodeScalars.first, first == " " || first == "\t", !headers.isEmpty {
                    headers[headers.count - 1].value += " " + text.trimmingCharacters(in: .whitespaces)
                    continue
                }
                guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, headers.count < 1000 else {
                    try resynchronize("record at byte offset \(offset) has a malformed header line")
                    return nil
                }
                headers.append(HTTPHeader(
                    name: String(text[..<colon]).trimmingCharacters(in: .whitespaces),
                    value: String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                ))
            }
        }
    }

    private func describe(headers: [HTTPHeader], offset: Int64) -> String {
        let record = WARCRecord(version: "", headers: headers, contentLength: 0, block: Data(), offset: offset)
        var text = "\(record.type ?? "untyped") record at byte offset \(offset)"
        if let uri = record.targetURI { text += " (\(uri))" }
        return text
    }

    /// After a block: the record's closing CR LF CR LF, or (from sloppy writers) other line
    /// breaks followed by the end of the file or the next record's `WARC/1.`. Consumes the line
    /// breaks only when that holds. An error while looking ahead is kept for the next call, so
    /// the good record before it is not lost.
    private func recordEndFollows() throws -> Bool {
        do {
            while available < 4, try fill() {}
            if available >= 4, buffer[readIndex..<(readIndex + 4)].elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) {
                readIndex += 4
                return true
            }
            var ahead = 0
            while ahead < 16 {
                if readIndex + ahead >= buffer.count, try !fill() {
                    readIndex += ahead
                    return true
                }
                let byte = buffer[readIndex + ahead]
                guard byte == 0x0D || byte == 0x0A else { break }
                ahead += 1
            }
            while buffer.count - (readIndex + ahead) < Self.magic.count, try fill() {}
            let start = readIndex + ahead
            guard buffer.count - start >= Self.magic.count,
                  buffer[start..<(start + Self.magic.count)].elementsEqual(Self.magic)
            else { return false }
            readIndex = start
            return true
        } catch {
            pendingError = error
            return true
        }
    }

    /// Skips forward to the next line that starts with `WARC/1.` and records a warning that says
    /// what was wrong (`problem`) and where reading resumes.
    private func resynchronize(_ problem: String) throws {
        let begin = position
        let found = try skipToMagic()
        let skipped = position - begin
        if found {
            warn("\(source): \(problem); skipped \(skipped) bytes to the next record at byte offset \(input.fileOffset(of: position))")
        } else {
            warn("\(source): \(problem); no further record in the \(skipped) bytes to the end")
        }
    }

    private func warn(_ message: String) {
        if warnings.count < Self.maxWarnings {
            warnings.append(message)
        } else {
            droppedWarnings += 1
            warnings[Self.maxWarnings - 1] = "\(droppedWarnings + 1) more warnings not shown"
        }
    }

    /// The first bytes at the current position, readable, for an error message.
    private func preview() throws -> String {
        while available < 16, try fill() {}
        let window = buffer[readIndex..<min(buffer.count, readIndex + 16)]
        let bytes = window.prefix { $0 != 0x0A && $0 != 0x0D }
        if bytes.isEmpty { return "nothing" }
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "'\(String(decoding: bytes, as: UTF8.self))'"
        }
        return "bytes " + bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
    }

    // MARK: - Buffered bytes

    private var position: Int64 { bufferStart + Int64(readIndex) }
    private var available: Int { buffer.count - readIndex }

    /// Appends the next decompressed chunk; false at the end of the input.
    private func fill() throws -> Bool {
        guard !exhausted else { return false }
        guard let chunk = try input.nextChunk() else {
            exhausted = true
            return false
        }
        if readIndex > 0 && (readIndex == buffer.count || readIndex >= WARCInput.chunkSize) {
            bufferStart += Int64(readIndex)
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: chunk)
        return true
    }

    private func skipLineBreaks() throws -> Bool {
        while true {
            if available == 0, try !fill() { return false }
            let byte = buffer[readIndex]
            guard byte == 0x0D || byte == 0x0A else { return true }
            readIndex += 1
        }
    }

    private func startsWithMagic() throws -> Bool {
        while available < Self.magic.count, try fill() {}
        guard available >= Self.magic.count else { return false }
        return buffer[readIndex..<(readIndex + Self.magic.count)].elementsEqual(Self.magic)
    }

    private enum Line {
        case line([UInt8])
        case tooLong
        case end
    }

    /// One line without its CR LF (or LF). At the end of the input, the rest is the last line.
    private func readLine(limit: Int) throws -> Line {
        var scanned = 0
        while true {
            if let newline = buffer[(readIndex + scanned)...].firstIndex(of: 0x0A) {
                var end = newline
                if end > readIndex && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[readIndex..<end])
                readIndex = newline + 1
                return .line(line)
            }
            scanned = available
            if scanned > limit { return .tooLong }
            if try !fill() {
                if available == 0 { return .end }
                let line = Array(buffer[readIndex...])
                readIndex = buffer.count
                return .line(line)
            }
        }
    }

    /// Up to `count` bytes; fewer only at the end of the input.
    private func readBlock(_ count: Int) throws -> [UInt8] {
        var block: [UInt8] = []
        block.reserveCapacity(count)
        while block.count < count {
            if available == 0, try !fill() { break }
            let take = min(available, count - block.count)
            block.append(contentsOf: buffer[readIndex..<(readIndex + take)])
            readIndex += take
        }
        return block
    }

    /// Drops up to `count` bytes without keeping them; returns how many there were.
    private func skip(_ count: Int64) throws -> Int64 {
        var skipped: Int64 = 0
        while skipped < count {
            if available == 0, try !fill() { break }
            let take = Int(min(Int64(available), count - skipped))
            readIndex += take
            skipped += Int64(take)
        }
        return skipped
    }

    /// Puts bytes back in front of the unread ones, as if they had not been read.
    private func pushBack(_ bytes: ArraySlice<UInt8>) {
        let rest = buffer[readIndex...]
        bufferStart = position - Int64(bytes.count)
        buffer = Array(bytes) + rest
        readIndex = 0
    }

    /// Moves to the next `WARC/1.` at the start of a line; false (at the end) if there is none.
    private func skipToMagic() throws -> Bool {
        let magic = Self.magic
        // Always move at least one byte, so a bad record at this position is not read again.
        if available == 0, try !fill() { return false }
        readIndex += 1
        while true {
            var index = readIndex
            while index + magic.count <= buffer.count {
                if buffer[index] == 0x57, index == 0 || buffer[index - 1] == 0x0A,
                   buffer[index..<(index + magic.count)].elementsEqual(magic) {
                    readIndex = index
                    return true
                }
                index += 1
            }
            // Keep a tail that may hold the start of a split `WARC/1.`.
            readIndex = max(readIndex, buffer.count - (magic.count - 1))
            if try !fill() {
                readIndex = buffer.count
                return false
            }
        }
    }
}

// Holds an open file and a zlib stream, read from one task at a time.
@available(*, unavailable)
extension WARCReader: Sendable {}

/// The parts of an HTTP/1.x response message stored in a WARC response record.
struct HTTPResponseMessage {
    struct Failure: Error {
        var reason: String
    }

    var status: Int
    var headers: [HTTPHeader]
    var body: Data

    init(block: [UInt8], maxBodyBytes: Int) throws(Failure) {
        // The head ends at the first empty line (CRLF CRLF, or LF LF from sloppy writers).
        var index = 0
        var lines: [String] = []
        var headEnd: Int?
        while index < block.count && index < 256 * 1024 {
            guard let newline = block[index...].firstIndex(of: 0x0A) else { break }
            var end = newline
            if end > index && block[end - 1] == 0x0D { end -= 1 }
            let line = String(decoding: block[index..<end], as: UTF8.self)
            index = newline + 1
            if line.isEmpty {
                headEnd = index
                break
            }
            lines.append(line)
        }
        guard let headEnd, let statusLine = lines.first else {
            throw Failure(reason: "the HTTP response head has no end")
        }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let status = Int(parts[1]) else {
            throw Failure(reason: "'\(statusLine.prefix(80))' is not an HTTP status line")
        }
        var headers: [HTTPHeader] = []
        for line in lines.dropFirst() {
            if let first = line.unicodeScalars.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(HTTPHeader(
                    name: String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                    value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                ))
            }
        }
        self.status = status
        self.headers = headers

        func values(_ name: String) -> [String] {
            headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
                .flatMap { $0.value.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
        }

        var body = Array(block[headEnd...])
        // Many crawlers store the body as it came over the wire, chunks and all; some de-chunk it
        // but keep the header. `dechunk` returns nil when the body is not chunked after all.
        if values("Transfer-Encoding").contains("chunked"), let plain = Self.dechunk(body) {
            body = plain
        }
        var data = Data(body)
        for coding in values("Content-Encoding").reversed() {
            switch coding {
            case "identity":
                continue
            case "gzip", "x-gzip", "deflate":
                // A body already decoded by the crawler (header kept) is left as it is.
                let looksGzip = data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
                if coding != "deflate" && !looksGzip { continue }
                do {
                    if coding == "deflate" {
                        do {
                            data = try inflateBody(data, format: .gzipOrZlib, limit: maxBodyBytes)
                        } catch InflateFailure.corrupt {
                            data = try inflateBody(data, format: .rawDeflate, limit: maxBodyBytes)
                        }
                    } else {
                        data = try inflateBody(data, format: .gzipOrZlib, limit: maxBodyBytes)
                    }
                } catch {
                    throw Failure(reason: "cannot decode the \(coding) body: \(error.reason)")
                }
            default:
                throw Failure(reason: "the body uses Content-Encoding '\(coding)', which cannot be decoded")
            }
        }
        self.body = data
    }

    /// Undoes `Transfer-Encoding: chunked`. Nil when the body does not start with a chunk size
    /// line; a body cut inside a chunk keeps what was read.
    static func dechunk(_ body: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var index = 0
        var chunks = 0
        while index < body.count {
            guard let newline = body[index...].prefix(1024).firstIndex(of: 0x0A) else {
                return chunks == 0 ? nil : output
            }
            var line = String(decoding: body[index..<newline], as: UTF8.self)
            if let semicolon = line.firstIndex(of: ";") { line = String(line[..<semicolon]) }
            line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, line.count <= 16, let size = Int(line, radix: 16), size >= 0 else {
                return chunks == 0 ? nil : output
            }
            index = newline + 1
            chunks += 1
            if size == 0 { return output }
            let end = min(body.count, index + size)
            output.append(contentsOf: body[index..<end])
            index = end
            // The CRLF after the chunk data.
            if index < body.count && body[index] == 0x0D { index += 1 }
            if index < body.count && body[index] == 0x0A { index += 1 }
        }
        return output
    }
}
