public import Foundation

/// Why a compressed body could not be inflated.
public enum InflateFailure: Error, Equatable, Sendable {
    case corrupt(String)
    case truncated
    case tooLarge(limit: Int)

    public var reason: String {
        switch self {
        case let .corrupt(message): message
        case .truncated: "the compressed data is cut short"
        case let .tooLarge(limit): "it inflates to more than \(limit) bytes"
        }
    }
}

/// Inflates a whole in-memory body (a WARC record's `Content-Encoding: gzip` or `deflate`
/// payload, a gzipped sitemap), never producing more than `limit` bytes, so a small "zip bomb"
/// cannot exhaust memory. Concatenated gzip members are all read, as `gzip -d` does.
public func inflateBody(_ data: Data, format: Inflater.Format, limit: Int) throws(InflateFailure) -> Data {
    let inflater: Inflater
    do {
        inflater = try Inflater(format: format)
    } catch {
        throw .corrupt(error.description)
    }
    var output = Data()
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var index = 0
    var memberOpen = true
    // Copy once into a contiguous array so the pointer arithmetic below is plain.
    let bytes = [UInt8](data)
    while true {
        if !memberOpen {
            // Another gzip member may follow; anything else after the end is ignored, as browsers do.
            guard format != .rawDeflate, bytes.count - index >= 2, bytes[index] == 0x1F, bytes[index + 1] == 0x8B else { break }
            inflater.reset()
            memberOpen = true
        }
        let start = index
        let step = bytes.withUnsafeBytes { input in
            chunk.withUnsafeMutableBytes { out in
                inflater.inflate(input: UnsafeRawBufferPointer(rebasing: input[start...]), output: out)
            }
        }
        index += step.consumed
        if step.produced > 0 {
            guard output.count + step.produced <= limit else { throw .tooLarge(limit: limit) }
            output.append(contentsOf: chunk[0..<step.produced])
        }
        switch step.status {
        case .streamEnd:
            memberOpen = false
        case .progress, .needsMore:
            // No output and nothing left to read: the member never ended.
            if step.produced == 0 && index == bytes.count { throw .truncated }
        case .failed(let code):
            throw .corrupt(inflater.message ?? "zlib error \(code)")
        }
    }
    return output
}
