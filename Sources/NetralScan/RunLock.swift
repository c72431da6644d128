import Foundation

/// An exclusive lock held for a whole scan, so two runs from cron never overlap on the same
/// state and evidence (the second would otherwise delete the first's bundles in progress).
/// `flock(2)` on a lock file beside the state database; the kernel releases it if the process
/// dies, so a killed run never leaves a stale lock behind.
final class RunLock {
    private let descriptor: Int32
    let path: String

    struct Busy: Error, CustomStringConvertible {
        var path: String
        var description: String { "another netral scan holds \(path); this run did nothing" }
    }

    init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Busy(path: path)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
