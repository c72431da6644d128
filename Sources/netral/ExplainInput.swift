import ArgumentParser
import Foundation
import NetralExtract
import NetralModel
import NetralScan
import NetralYAML

/// What `netral explain` reads besides its source: the configuration and target whose
/// settings apply, the publish date it is told, and text on standard input.
extension Netral.Explain {
    /// The rules, site profiles, profile name and subject that apply: given options first, then
    /// the configuration's (and its target's), then the defaults.
    struct Settings {
        var rulePaths: [String]
        var sitePaths: [String]
        var profile: String?
        var subject: Subject?
    }

    func settings() throws -> Settings {
        var result = Settings(
            rulePaths: rulePaths.isEmpty ? ScanConfig.defaultRulePaths : rulePaths,
            sitePaths: sitePaths.isEmpty ? ScanConfig.defaultSitePaths : sitePaths, profile: profile)
        guard config != nil || target != nil else { return result }
        let path = config ?? "netral.yaml"
        let scanConfig: ScanConfig
        do {
            scanConfig = try ScanConfig.load(path: path)
        } catch {
            throw CommandFailure.invalidInput(error.description)
        }
        if rulePaths.isEmpty { result.rulePaths = scanConfig.rulePaths }
        if sitePaths.isEmpty { result.sitePaths = scanConfig.sitePaths }
        guard let target else { return result }
        guard let chosen = scanConfig.targets.first(where: { $0.id == target }) else {
            let known = scanConfig.targets.map(\.id)
            throw CommandFailure.invalidInput(
                "netral explain: no target '\(target)' in \(path); "
                    + (known.isEmpty ? "it has no targets" : "known: \(known.prefix(20).joined(separator: ", "))")
                    + (known.count > 20 ? " and \(known.count - 20) more" : ""))
        }
        result.subject = chosen.subject
        if profile == nil { result.profile = chosen.profile }
        return result
    }

    /// `--published`: a day (YYYY-MM-DD, its start in UTC, as pack examples' `published:`) or an
    /// ISO 8601 time with its offset.
    static func publishedDate(_ value: String) throws -> Date {
        let shape = "write a day as YYYY-MM-DD or a time as ISO 8601 with its offset, e.g. 2024-02-10T08:30:00+07:00"
        if value.count == 10 {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCII) && Int($0) != nil })
            else {
                throw ValidationError("'\(value)' is not a date: \(shape)")
            }
            // The formatter rolls 2024-02-30 over into March; a day that does not exist is refused.
            guard let date = formatter.date(from: value), formatter.string(from: date) == value else {
                throw ValidationError("'\(value)' is not a day of the calendar")
            }
            return date
        }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: value) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: value) { return date }
        throw ValidationError("'\(value)' is not a date: \(shape)")
    }

    /// Standard input read whole as text, at most `Explainer.maximumTextBytes`.
    static func standardInput() throws -> String {
        let limit = Explainer.maximumTextBytes
        var data = Data()
        while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 16), !chunk.isEmpty {
            data.append(chunk)
            guard data.count <= limit else {
                throw CommandFailure.invalidInput("netral explain: standard input holds more than \(limit) bytes; give a file instead")
            }
        }
        guard !data.isEmpty else { throw CommandFailure.invalidInput("netral explain: standard input is empty") }
        return String(decoding: data, as: UTF8.self)
    }
}
