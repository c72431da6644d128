import Foundation

/// At most `capacity` Tesseract handles, each lent to one picture at a time. A caller past the
/// capacity waits (in order, cancellably) for a handle to come back. Handles are made on first
/// need (loading the languages takes a fraction of a second) and kept for the pool's life; the
/// recognition itself runs on a Dispatch thread, never on Swift's cooperative pool, which must
/// not block for the second a picture can take.
final class TesseractPool: @unchecked Sendable {
    let capacity: Int
    private let dataPath: String
    private let languages: [String]
    private let lock = NSLock()
    /// Handles not lent out. Guarded by `lock`.
    private var idle: [TesseractHandle] = []
    private var made = 1
    /// Handles lent out plus permits granted and not yet returned.
    private var busy = 0
    private var nextWaiter: UInt64 = 0
    /// Waiting callers in arrival order; `waitOrder` may hold ids already cancelled, skipped
    /// when reached.
    private var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    private var waitOrder: [UInt64] = []
    private var waitHead = 0
    private let queue = DispatchQueue(label: "netral-ocr", qos: .utility, attributes: .concurrent)

    /// Makes the first handle now, so a language that cannot load fails here, not at the first picture.
    init(capacity: Int, dataPath: String, languages: [String]) throws(OCRError) {
        self.capacity = max(1, capacity)
        self.dataPath = dataPath
        self.languages = languages
        idle.append(try TesseractHandle(dataPath: dataPath, languages: languages))
    }

    /// Runs `body` with a handle of its own, on a Dispatch thread. `cancel` is set when the
    /// calling task is cancelled, so Tesseract stops between words.
    func withHandle<Value: Sendable>(_ body: @escaping @Sendable (TesseractHandle, CancelFlag) throws -> Value) async throws -> Value {
        try await acquire()
        let cancel = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result { try self.run(body, cancel: cancel) })
                }
            }
        } onCancel: {
            cancel.cancel()
        }
    }

    /// On the Dispatch thread: borrow or make a handle, run, give it back, release the permit.
    private func run<Value>(_ body: (TesseractHandle, CancelFlag) throws -> Value, cancel: CancelFlag) throws -> Value {
        defer { release() }
        let handle: TesseractHandle
        if let borrowed = lock.withLock({ idle.popLast() }) {
            handle = borrowed
        } else {
            handle = try TesseractHandle(dataPath: dataPath, languages: languages)
            lock.withLock { made += 1 }
        }
        defer { lock.withLock { idle.append(handle) } }
        return try body(handle, cancel)
    }

    private func acquire() async throws {
        let id: UInt64 = lock.withLock {
            nextWaiter += 1
            return nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let granted: Bool? = lock.withLock {
                    if Task.isCancelled { return nil }
                    if busy < capacity {
                        busy += 1
                        return true
                    }
                    waiters[id] = continuation
                    waitOrder.append(id)
                    return false
                }
                switch granted {
                case nil: continuation.resume(throwing: CancellationError())
                case true?: continuation.resume()
                case false?: break
                }
            }
        } onCancel: {
            let waiting = lock.withLock { waiters.removeValue(forKey: id) }
            waiting?.resume(throwing: CancellationError())
        }
    }

    /// Hands the permit to the next waiter still waiting, or frees it.
    private func release() {
        let next: CheckedContinuation<Void, any Error>? = lock.withLock {
            while waitHead < waitOrder.count {
                let id = waitOrder[waitHead]
                waitHead += 1
                if let continuation = waiters.removeValue(forKey: id) {
                    compactWaitOrder()
                    return continuation  // the permit passes on; `busy` stays
                }
            }
            compactWaitOrder()
            busy -= 1
            return nil
        }
        next?.resume()
    }

    /// Drops the ids already served once they are most of the array, so it stays linear in the waiters.
    private func compactWaitOrder() {
        if waitHead > 64, waitHead * 2 > waitOrder.count {
            waitOrder.removeFirst(waitHead)
            waitHead = 0
        }
    }

    /// Handles made so far: never more than `capacity`.
    var handleCount: Int { lock.withLock { made } }
}
