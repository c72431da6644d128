import Foundation
import NetralModel
import NetralYAML

extension Watchlist {
    /// The targets as YAML list items, indented by `indent`. Scalars are written as JSON
    /// strings (JSON is YAML), so no name, agency or URL can break the document.
    /// `maskNIPs` for anything printed: a NIP appears in full only in the configuration file.
    public func yamlItems(indent: String = "  ", maskNIPs: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func scalar(_ text: String) -> String {
            (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        }
        var yaml = ""
        for person in people {
            // A comment ends at a line break: a name read from a quoted field may hold one.
            let name = (person.subject.name ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
            yaml += "\(indent)# \(name) (baris \(person.line))\n"
            for target in person.targets {
                yaml += "\(indent)- id: \(scalar(target.id))\n"
                let inner = indent + "  "
                yaml += "\(inner)kind: \(target.kind.rawValue)\n"
                yaml += "\(inner)url: \(scalar(target.url))\n"
                if let region = target.region { yaml += "\(inner)region: \(scalar(region))\n" }
                guard let subject = target.subject else { continue }
                yaml += "\(inner)subject:\n"
                let fields: [(String, String?)] = [
                    ("name", subject.name), ("role", subject.role), ("agency", subject.agency),
                    ("nip", subject.nip.map { maskNIPs ? NIPMasking.mask($0) : $0 }),
                ]
                for (key, value) in fields { if let value { yaml += "\(inner)  \(key): \(scalar(value))\n" } }
            }
        }
        return yaml
    }

    /// A configuration that cannot take the targets, or one that would be invalid with them.
    public struct MergeError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Adds the targets at the end of the `targets:` list of a configuration file, keeping
    /// every other line (and comment) as it is. The result is checked as `scan` would check it
    /// and renamed into place in one step: on any problem the file is left untouched.
    public func merge(intoConfig path: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw MergeError(description: "\(path): cannot read the configuration")
        }
        var lines = text.components(separatedBy: "\n")
        guard let keyLine = lines.firstIndex(where: { $0.hasPrefix("targets:") }) else {
            throw MergeError(description: "\(path): no top-level 'targets:' list to add to")
        }
        let after = lines[keyLine].dropFirst("targets:".count).trimmingCharacters(in: .whitespaces)
        if after == "[]" {
            lines[keyLine] = "targets:"
        } else if !after.isEmpty && !after.hasPrefix("#") {
            throw MergeError(
                description:
                    "\(path):\(keyLine + 1): 'targets:' is written inline; write it as a block list (one '- id: ...' per target) or use "
                    + "--format yaml and paste"
            )
        }
        // The list runs to the next top-level key; items are added after its last content line.
        var end = keyLine + 1
        var lastContent = keyLine
        var indent: String?
        while end < lines.count {
            let line = lines[end]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                if !line.hasPrefix(" "), !line.hasPrefix("-") { break }
                if indent == nil, trimmed.hasPrefix("- ") || trimmed == "-" { indent = String(line.prefix { $0 == " " }) }
                lastContent = end
            }
            end += 1
        }
        var items = yamlItems(indent: indent ?? "  ", maskNIPs: false)
        if items.hasSuffix("\n") { items.removeLast() }
        lines.insert(items, at: lastContent + 1)
        let merged = lines.joined(separator: "\n")

        // Checked and renamed in the configuration's own folder, so relative paths resolve alike.
        let folder = (path as NSString).deletingLastPathComponent
        let temporary =
            (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).import-\(getpid())-\(UUID().uuidString)"
        let mode = ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.int16Value ?? 0o600
        guard FileManager.default.createFile(atPath: temporary, contents: Data(merged.utf8), attributes: [.posixPermissions: mode]) else {
            throw MergeError(description: "\(temporary): cannot write")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
            _ = try ScanConfig.load(path: temporary)
        } catch let error as DiagnosticsError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw MergeError(
                description: error.diagnostics.map { diagnostic in
                    var shown = diagnostic
                    if shown.file == temporary { shown.file = path }
                    return shown.description
                }.joined(separator: "\n"))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw MergeError(description: "\(path): \(error)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw MergeError(description: "\(path): cannot replace the configuration: \(reason)")
        }
        return targets.count
    }

    /// The target ids a configuration file already uses (read leniently: an unreadable file
    /// gives none, and the merge's own check reports it).
    public static func targetIDs(inConfig path: String) -> Set<String> {
        guard let (root, _) = try? YAMLDocument.load(path: path) else { return [] }
        var diagnostics = DiagnosticList()
        guard let mapping = root.mapping("the configuration", into: &diagnostics),
            let list = mapping["targets"]?.sequence("targets", into: &diagnostics)
        else { return [] }
        return Set(
            list.compactMap { $0.mapping("a target", into: &diagnostics)?["id"]?.string("id", into: &diagnostics, allowPlainNumbers: true) }
        )
    }
}
