import Crypto
import Foundation

/// What one picture's OCR produced: the cached value, and the part of `ImageText` that does not
/// depend on where the picture was found.
public struct OCRReading: Sendable, Codable, Equatable {
    /// The lines read, top to bottom, joined by newlines; empty when the picture holds no text.
    public var text: String
    /// Mean word confidence (0...100, weighted by word length) of the words kept; nil without words.
    public var confidence: Double?
    /// "tesseract 5.3.0 (ind+eng)".
    public var engine: String
    /// Which pass's words were kept ("grey", "inverted", "colour", "bright"): for measuring.
    public var pass: String
    /// The size Tesseract read, after scaling.
    public var width: Int
    public var height: Int

    public init(text: String, confidence: Double?, engine: String, pass: String, width: Int, height: Int) {
        self.text = text
        self.confidence = confidence
        self.engine = engine
        self.pass = pass
        self.width = width
        self.height = height
    }
}

/// Readings by picture digest: an in-memory LRU, and optionally a folder that outlives the
/// process (one scan to the next), keyed by SHA-256, written atomically and capped in bytes.
/// A reading made with other languages or settings is never served: the settings' fingerprint
/// is part of the key (and names the folder's subfolder).
public final class OCRCache: @unchecked Sendable {
    /// Where a hit came from.
    enum Source { case memory, disk }

    private let lock = NSLock()
    private var memory: LRU
    private let folder: String?
    private let maxFolderBytes: Int
    /// The folder's files by path: bytes and last use. Loaded on first use; guarded by `lock`.
    private var folderIndex: [String: (bytes: Int, used: Date)]?
    private var folderBytes = 0
    /// Disk reads or writes that failed (a full disk, a damaged file): the cache is an
    /// optimisation, so a failure costs a recognition, never a picture.
    private(set) var diskErrors = 0

    /// - Parameters:
    ///   - memoryEntries: readings kept in memory (least recently used dropped first).
    ///   - folder: a folder for readings across runs; created when missing. Only files this cache
    ///     names (`<64 hex>.json` under its own subfolders) are ever read, replaced or deleted.
    ///   - maxFolderBytes: the folder's cap; the least recently used readings go first.
    public init(memoryEntries: Int = 2048, folder: String? = nil, maxFolderBytes: Int = 64 << 20) {
        memory = LRU(capacity: max(1, memoryEntries))
        self.folder = folder
        self.maxFolderBytes = max(4096, maxFolderBytes)
    }

    func reading(digest: String, fingerprint: String) -> (OCRReading, Source)? {
        let key = fingerprint + "/" + digest
        if let hit = lock.withLock({ memory.get(key) }) { return (hit, .memory) }
        guard let path = path(digest: digest, fingerprint: fingerprint) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard data.count <= 1 << 20, let reading = try? JSONDecoder().decode(OCRReading.self, from: data) else {
            lock.withLock { diskErrors += 1 }
            return nil
        }
        let now = Date()
        try? FileManager.default.setAttributes([.modificationDate: now], ofItemAtPath: path)
        lock.withLock {
            memory.put(key, reading)
            if folderIndex?[path] != nil { folderIndex?[path]?.used = now }
        }
        return (reading, .disk)
    }

    func store(_ reading: OCRReading, digest: String, fingerprint: String) {
        let key = fingerprint + "/" + digest
        lock.withLock { memory.put(key, reading) }
        guard let path = path(digest: digest, fingerprint: fingerprint) else { return }
        do {
            let data = try JSONEncoder().encode(reading)
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Written beside its final name and renamed over it: a reader sees the old file or the
            // new one, never half of one, and a crash leaves at most a temporary file.
            let temporary = directory + "/.\(digest).\(UUID().uuidString).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw CocoaError(.fileWriteUnknown)
            }
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                throw CocoaError(.fileWriteUnknown)
            }
            lock.withLock { record(path: path, bytes: data.count) }
        } catch {
            lock.withLock { diskErrors += 1 }
        }
    }

    /// `<folder>/<fingerprint digest>/<first two hex>/<digest>.json`; nil without a folder or for
    /// a digest that is not 64 hex characters (nothing else ever names a file).
    private func path(digest: String, fingerprint: String) -> String? {
        guard let folder, digest.count == 64, digest.allSatisfy(\.isHexDigit) else { return nil }
        let settings = SHA256.hash(data: Data(fingerprint.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "\(folder)/\(settings)/\(digest.prefix(2))/\(digest).json"
    }

    /// Adds a written file to the index and, over the cap, deletes the least recently used of the
    /// cache's own files down to 80% of it (one sort per eviction round, not per write).
    private func record(path: String, bytes: Int) {
        if folderIndex == nil { loadFolderIndex() }
        folderBytes += bytes - (folderIndex?[path]?.bytes ?? 0)
        folderIndex?[path] = (bytes, Date())
        guard folderBytes > maxFolderBytes, let index = folderIndex else { return }
        for (oldPath, entry) in index.sorted(by: { $0.value.used < $1.value.used }) {
            guard folderBytes > maxFolderBytes * 4 / 5 else { break }
            if oldPath == path { continue }
            if unlink(oldPath) == 0 || errno == ENOENT {
                folderBytes -= entry.bytes
                folderIndex?[oldPath] = nil
            }
        }
    }

    /// Lists the cache's own files once (`*.json` named by a digest, two levels down).
    private func loadFolderIndex() {
        var index: [String: (bytes: Int, used: Date)] = [:]
        var total = 0
        if let folder, let settings = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for setting in settings where setting.count == 12 && setting.allSatisfy(\.isHexDigit) {
                let settingPath = folder + "/" + setting
                for shard in (try? FileManager.default.contentsOfDirectory(atPath: settingPath)) ?? [] where shard.count == 2 {
                    let shardPath = settingPath + "/" + shard
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: shardPath)) ?? []
                    where name.count == 69 && name.hasSuffix(".json") && name.prefix(64).allSatisfy(\.isHexDigit) {
                        let path = shardPath + "/" + name
                        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
                        let bytes = (attributes[.size] as? NSNumber)?.intValue ?? 0
                        index[path] = (bytes, attributes[.modificationDate] as? Date ?? .distantPast)
                        total += bytes
                    }
                }
            }
        }
        folderIndex = index
        folderBytes = total
    }
}

/// A least-recently-used map of readings: a dictionary into a doubly linked list kept in arrays,
/// so a get, a put and an eviction each cost O(1).
struct LRU {
    private struct Node {
        var key: String
        var value: OCRReading
        var previous: Int
        var next: Int
    }

    let capacity: Int
    private var slots: [String: Int] = [:]
    private var nodes: [Node] = []
    /// Most recently used, and least; -1 when empty.
    private var head = -1
    private var tail = -1

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { slots.count }

    mutating func get(_ key: String) -> OCRReading? {
        guard let slot = slots[key] else { return nil }
        moveToFront(slot)
        return nodes[slot].value
    }

    mutating func put(_ key: String, _ value: OCRReading) {
        if let slot = slots[key] {
            nodes[slot].value = value
            moveToFront(slot)
            return
        }
        let slot: Int
        if nodes.count < capacity {
            slot = nodes.count
            nodes.append(Node(key: key, value: value, previous: -1, next: -1))
        } else {
            // Reuse the least recently used node.
            slot = tail
            unlink(slot)
            slots[nodes[slot].key] = nil
            nodes[slot] = Node(key: key, value: value, previous: -1, next: -1)
        }
        slots[key] = slot
        linkFront(slot)
    }

    private mutating func moveToFront(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        linkFront(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous
        let next = nodes[slot].next
        if previous >= 0 { nodes[previous].next = next } else { head = next }
        if next >= 0 { nodes[next].previous = previous } else { tail = previous }
        nodes[slot].previous = -1
        nodes[slot].next = -1
    }

    private mutating func linkFront(_ slot: Int) {
        nodes[slot].next = head
        nodes[slot].previous = -1
        if head >= 0 { nodes[head].previous = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}
