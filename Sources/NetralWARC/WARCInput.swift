import NetralZlib
import Foundation

/// The bytes of a WARC file, read in fixed-size chunks and inflated on the fly when the file is
/// gzipped (one gzip member per record, or one for the whole file).
///
/// Memory stays bounded by the chunk size whatever the file size. For a gzipped file it remembers
/// where each gzip member started, so errors and records can name their offset in the file.
final class WARCInput {
    static let chunkSize = 64 * 1024

    let source: String
    let isGzipped: Bool
    private var raw: RawSource
    private let inflater: Inflater?
    /// Bytes read from the file that are not yet consumed by zlib (or handed out, if plain).
    private var input = Data()
    private var inputIndex = 0
    private var bytesRead: Int64 = 0
    /// Decompressed bytes handed out so far.
    private(set) var produced: Int64 = 0
    private var memberOpen = false
    private var memberStart: Int64 = 0
    /// (decompressed position, file offset) of each gzip member not yet forgotten.
    private var memberStarts: [(uncompressed: Int64, compressed: Int64)] = []
    private var output = [UInt8](repeating: 0, count: chunkSize)

    init(raw: RawSource, source: String) throws {
        var raw = raw
        self.source = source
        // Read the first chunk now to see whether the file is gzipped.
        do {
            if let first = try raw.read(maximum: Self.chunkSize) {
                input = first
                bytesRead = Int64(first.count)
            }
        } catch {
            throw WARCReadError.unreadableFile(path: source, reason: "\(error)")
        }
        self.raw = raw
        isGzipped = input.count >= 2 && input[input.startIndex] == 0x1F && input[input.startIndex + 1] == 0x8B
        if isGzipped {
            do {
                inflater = try Inflater(format: .gzip)
            } catch {
                throw WARCReadError.corruptGzip(source: source, offset: 0, reason: error.description)
            }
        } else {
            inflater = nil
        }
    }

    deinit {
        if case let .file(handle) = raw { try? handle.close() }
    }

    /// Where the data not yet consumed from the file starts.
    private var filePosition: Int64 { bytesRead - Int64(input.count - inputIndex) }

    private func refill() throws -> Bool {
        let chunk: Data?
        do {
            chunk = try raw.read(maximum: Self.chunkSize)
        } catch {
            throw WARCReadError.unreadableFile(path: source, reason: "\(error)")
        }
        guard let chunk else { return false }
        input = chunk
        inputIndex = 0
        bytesRead += Int64(chunk.count)
        return true
    }

    /// The next decompressed bytes, or nil at the end of the file.
    func nextChunk() throws -> [UInt8]? {
        guard let inflater else {
            if inputIndex == input.count, try !refill() { return nil }
            let bytes = [UInt8](input[(input.startIndex + inputIndex)...])
            inputIndex = input.count
            produced += Int64(bytes.count)
            return bytes
        }
        while true {
            if !memberOpen {
                if inputIndex == input.count, try !refill() { return nil }
                memberOpen = true
                memberStart = filePosition
                memberStarts.append((produced, memberStart))
            }
            // Inflate even with no input left: zlib may still hold output from earlier input.
            let start = inputIndex
            let step = input.withUnsafeBytes { bytes in
                output.withUnsafeMutableBytes { out in
                    inflater.inflate(input: UnsafeRawBufferPointer(rebasing: bytes[start...]), output: out)
                }
            }
            inputIndex += step.consumed
            switch step.status {
            case .streamEnd:
                inflater.reset()
                memberOpen = false
            case .progress, .needsMore:
                if step.produced == 0 && step.consumed == 0 {
                    // zlib needs more input than it has.
                    if inputIndex < input.count {
                        throw WARCReadError.corruptGzip(source: source, offset: memberStart, reason: "zlib makes no progress")
                    }
                    if try !refill() { throw WARCReadError.truncatedGzip(source: source, offset: memberStart) }
                }
            case .failed(let code):
                let reason = inflater.message ?? "zlib error \(code)"
                throw WARCReadError.corruptGzip(source: source, offset: memberStart, reason: reason)
            }
            if step.produced > 0 {
                produced += Int64(step.produced)
                return Array(output[0..<step.produced])
            }
        }
    }

    /// The file offset of decompressed position `position`: for a gzipped file the start of the gzip
    /// member holding it (what `warcio index` calls the offset), else the position itself.
    func fileOffset(of position: Int64) -> Int64 {
        guard isGzipped else { return position }
        var found: Int64 = 0
        for member in memberStarts {
            if member.uncompressed <= position { found = member.compressed } else { break }
        }
        return found
    }

    /// Drops member positions before `position`, which the reader will never ask about again.
    func forget(before position: Int64) {
        guard isGzipped, memberStarts.count > 1 else { return }
        var keepFrom = 0
        for (index, member) in memberStarts.enumerated() where member.uncompressed <= position {
            keepFrom = index
        }
        if keepFrom > 0 { memberStarts.removeFirst(keepFrom) }
    }
}

// Holds a file handle and a zlib stream; read from one task at a time.
@available(*, unavailable)
extension WARCInput: Sendable {}

/// Where WARC bytes come from: a file read chunk by chunk, or bytes already in memory.
enum RawSource {
    case file(FileHandle)
    case memory(Data, position: Int)

    /// At most `maximum` bytes, or nil at the end.
    mutating func read(maximum: Int) throws -> Data? {
        switch self {
        case let .file(handle):
            let chunk = try handle.read(upToCount: maximum)
            guard let chunk, !chunk.isEmpty else { return nil }
            return chunk
        case let .memory(data, position):
            guard position < data.count else { return nil }
            let end = min(data.count, position + maximum)
            let start = data.startIndex + position
            self = .memory(data, position: end)
            return Data(data[start..<(data.startIndex + end)])
        }
    }
}
