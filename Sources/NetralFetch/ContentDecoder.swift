import Foundation
import NetralZlib

/// Why a response body's Content-Encoding could not be undone.
enum ContentDecodingFailure: Error, Equatable {
    case corrupt(String)
    case truncated

    var reason: String {
        switch self {
        case .corrupt(let message): message
        case .truncated: "the compressed data ends before its end marker"
        }
    }
}

/// Undoes `Content-Encoding: gzip` or `deflate` while the body arrives, chunk by chunk, so the
/// caller can cap the decoded size before it is all in memory (a gzip bomb stops early).
///
/// `deflate` is meant to be zlib-wrapped (RFC 9110 §8.4.1.2) but some servers send raw deflate;
/// the first two bytes decide, as browsers do. Concatenated gzip members are all decoded, as
/// `gzip -d` does; other bytes after the end of the stream are ignored.
final class ContentDecoder {
    enum Coding: Equatable {
        case gzip
        case deflate
    }

    /// The codings this decoder undoes, in the form sent as `Accept-Encoding`.
    static let acceptEncoding = "gzip, deflate"

    let coding: Coding
    /// Created once the format is known: at once for gzip, after two bytes for deflate.
    private var inflater: Inflater?
    /// The first byte of a deflate body, held until the second arrives.
    private var pendingHeader: [UInt8] = []
    private var sawInput = false
    private var streamEnded = false
    /// Set once bytes that do not start a gzip member followed the end; the rest is dropped.
    private var ignoringTrailer = false
    private let output: UnsafeMutableRawBufferPointer

    init(coding: Coding) throws(ContentDecodingFailure) {
        self.coding = coding
        if coding == .gzip { inflater = try Self.inflater(.gzipOrZlib) }
        output = .allocate(byteCount: 32 * 1024, alignment: 1)
    }

    deinit {
        output.deallocate()
    }

    private static func inflater(_ format: Inflater.Format) throws(ContentDecodingFailure) -> Inflater {
        do {
            return try Inflater(format: format)
        } catch {
            throw .corrupt(error.description)
        }
    }

    /// The coding named by a Content-Encoding header value, nil for none or `identity`.
    /// Throws the header's value when it names a coding this decoder cannot undo (br, zstd,
    /// compress, or more than one coding).
    static func coding(forHeader value: String?) throws(UnsupportedCoding) -> Coding? {
        guard let value else { return nil }
        let codings = value.split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && $0 != "identity" }
        switch codings {
        case []: return nil
        case ["gzip"], ["x-gzip"]: return .gzip
        case ["deflate"]: return .deflate
        default: throw UnsupportedCoding(value: value)
        }
    }

    struct UnsupportedCoding: Error {
        var value: String
    }

    /// Decodes `input`, handing each decoded piece to `emit`; stops early (returning false)
    /// when `emit` returns false.
    func decode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) throws(ContentDecodingFailure) -> Bool {
        guard !input.isEmpty, !ignoringTrailer else { return true }
        sawInput = true
        if inflater == nil {
            // Raw deflate or zlib: a zlib header is CM 8, a window of at most 32 KiB, and a
            // check value that makes the first two bytes a multiple of 31.
            let taken = min(2 - pendingHeader.count, input.count)
            pendingHeader.append(contentsOf: input.prefix(taken))
            guard pendingHeader.count == 2 else { return true }
            let first = Int(pendingHeader[0]), second = Int(pendingHeader[1])
            let isZlib = first & 0x0F == 8 && first >> 4 <= 7 && (first << 8 | second) % 31 == 0
            inflater = try Self.inflater(isZlib ? .zlib : .rawDeflate)
            let header = pendingHeader
            pendingHeader = []
            // The held bytes first, then the rest of this chunk.
            var held: Result<Bool, ContentDecodingFailure> = .success(true)
            header.withUnsafeBytes { bytes in
                held = Result { () throws(ContentDecodingFailure) -> Bool in try run(bytes, emit: emit) }
            }
            guard try held.get() else { return false }
            return try run(UnsafeRawBufferPointer(rebasing: input[taken...]), emit: emit)
        }
        return try run(input, emit: emit)
    }

    private func run(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) throws(ContentDecodingFailure) -> Bool {
        guard let inflater else { return true }
        var index = 0
        while index < input.count && !ignoringTrailer {
            if streamEnded {
                // Another gzip member may follow; anything else is trailing junk, ignored.
                guard coding == .gzip, input[index] == 0x1F else {
                    ignoringTrailer = true
                    break
                }
                inflater.reset()
                streamEnded = false
            }
            let step = inflater.inflate(input: UnsafeRawBufferPointer(rebasing: input[index...]), output: output)
            index += step.consumed
            if step.produced > 0, !emit(UnsafeRawBufferPointer(rebasing: output[0..<step.produced])) { return false }
            switch step.status {
            case .streamEnd:
                streamEnded = true
            case .progress:
                continue
            case .needsMore:
                // No progress: zlib needs more input than this chunk has left; wait for the next one.
                if step.consumed == 0 && step.produced == 0 { return true }
            case .failed(let code):
                throw .corrupt(inflater.message ?? "zlib error \(code)")
            }
        }
        // Output may still be pending inside zlib with all input consumed: drain it.
        while !streamEnded && !ignoringTrailer {
            let step = inflater.inflate(input: UnsafeRawBufferPointer(start: nil, count: 0), output: output)
            if step.produced > 0, !emit(UnsafeRawBufferPointer(rebasing: output[0..<step.produced])) { return false }
            switch step.status {
            case .streamEnd: streamEnded = true
            case .progress where step.produced > 0: continue
            case .progress, .needsMore: return true
            case .failed(let code): throw .corrupt(inflater.message ?? "zlib error \(code)")
            }
        }
        return true
    }

    /// Checks that a body that began also ended: a compressed stream cut short is an error,
    /// an empty body (a 204, a 304, a redirect) is not.
    func finish() throws(ContentDecodingFailure) {
        guard sawInput else { return }
        guard streamEnded || ignoringTrailer else { throw .truncated }
    }
}

@available(*, unavailable)
extension ContentDecoder: Sendable {}
