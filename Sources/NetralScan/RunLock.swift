import Foundation

/// An exclusive lock held for a whole scan, so two runs from cron never overlap on the same
/// state and evidence (the second would otherwise delete the first's bundles in progress).
/// `flock(2)` on a lock file beside the state database; the kernel releases it if the process
/// dies, so a killed run never leaves a stale lock behind. `netral push` holds one per
/// destination, so two pushes never send the same case file at once.
public final class RunLock {
    private let descriptor: Int32
    public let path: String

    public struct Busy: Error, CustomStringConvertible {
        public var path: String
        public var holder = "netral scan"
        public var description: String { "another \(holder) holds \(path); this run did nothing" }
    }

    /// `holder` names the kind of run in the message a second one gets.
    public init(path: String, holder: String = "netral scan") throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Busy(path: path, holder: holder)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
