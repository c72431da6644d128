import Foundation
import NetralTestSupport

/// The `netral` executable as a user runs it: the binary built beside this test bundle (this
/// target depends on it, so a filtered run builds the binary it tests), one process per call.
enum NetralProcess {
    /// `.build/<configuration>/netral`, next to the test bundle that is running.
    static let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("netral").path

    struct Ended {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Starts `netral ARGUMENTS` with its output discarded (to be killed, or waited for).
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `netral ARGUMENTS` to its end; its exit status, stdout and stderr. `input` is its
    /// standard input (small: written whole before the output is read); without it, none.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Ended {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let standardInput = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : standardInput
        try process.run()
        if let input {
            try standardInput.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try standardInput.fileHandleForWriting.close()
        }
        return try await offCooperativePool {
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Ended(
                status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                errors: String(decoding: err, as: UTF8.self))
        }
    }

    /// Waits for a started process without holding a thread of Swift's cooperative pool.
    static func wait(_ process: Process) async throws {
        try await offCooperativePool { process.waitUntilExit() }
    }
}
