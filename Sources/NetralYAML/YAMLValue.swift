public import Foundation
internal import Yams

/// A node of a YAML document together with the file it came from, so every accessor can report
/// a problem at the node's own position.
public struct YAMLValue {
    fileprivate let node: Node
    public let file: String
    /// The document's lines, for positions inside block scalars (`>-`, `|`).
    fileprivate let source: SourceLines?

    fileprivate init(node: Node, file: String, source: SourceLines?) {
        self.node = node
        self.file = file
        self.source = source
    }

    /// Line and column of the node, 1-based.
    public var position: (line: Int, column: Int) {
        guard let mark = node.mark else { return (1, 1) }
        return (mark.line, mark.column)
    }

    /// A diagnostic at this node's position.
    public func diagnostic(_ message: String) -> Diagnostic {
        Diagnostic(file: file, line: position.line, column: position.column, message: message)
    }

    /// A diagnostic at an offset (in Unicode scalars) inside this scalar's text, for errors
    /// inside a value such as a bad token in a condition: exact for single-line scalars and
    /// for block scalars (`>-` folded, `|` literal), whose lines are found in the source.
    public func diagnostic(_ message: String, atOffset offset: Int) -> Diagnostic {
        if case .scalar(let scalar) = node, scalar.style == .folded || scalar.style == .literal,
           let source, let (line, column) = source.blockPosition(afterIndicatorLine: position.line, offset: offset) {
            return Diagnostic(file: file, line: line, column: column, message: message)
        }
        var column = position.column + offset
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            column += 1
        }
        return Diagnostic(file: file, line: position.line, column: column, message: message)
    }

    /// What the node is, for "expected X, found Y" messages.
    public var typeName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if scalar.style == .plain {
                let text = scalar.string
                if text.isEmpty || text == "~" || text == "null" { return "null" }
                // Only a word starting with a digit, a sign, a dot or i/n (inf, nan) can be a
                // number, and only a short one a boolean: most scalars of a large pack are words.
                let first = text.utf8.first!
                let letter = (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7A
                if !letter || first | 0x20 == 0x69 || first | 0x20 == 0x6E {
                    if Int(text) != nil || Double(text) != nil { return "a number" }
                }
                if text.utf8.count <= 5 && ["true", "false", "yes", "no"].contains(text.lowercased()) { return "a boolean" }
            }
            return "a string"
        }
    }

    /// The scalar's text, for any scalar, or nil for a mapping or a list.
    public var scalarText: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// A string value. Numbers and other plain scalars are rejected, so `version: 1.0` does not
    /// silently become "1.0" where text was meant; quote it to make it a string.
    public func string(_ what: String, into diagnostics: inout DiagnosticList, allowPlainNumbers: Bool = false) -> String? {
        guard case .scalar(let scalar) = node else {
            diagnostics.append(diagnostic("\(what) must be a string, found \(typeName)"))
            return nil
        }
        let type = typeName
        if type == "null" {
            diagnostics.append(diagnostic("\(what) must be a string, found null"))
            return nil
        }
        if type != "a string" && !(allowPlainNumbers && type == "a number") {
            diagnostics.append(diagnostic("\(what) must be a string, found \(type) (quote it to use it as text)"))
            return nil
        }
        return scalar.string
    }

    /// An integer value.
    public func integer(_ what: String, into diagnostics: inout DiagnosticList) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            diagnostics.append(diagnostic("\(what) must be an integer, found \(typeName)"))
            return nil
        }
        return value
    }

    /// A number value (integer or decimal).
    public func number(_ what: String, into diagnostics: inout DiagnosticList) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string) else {
            diagnostics.append(diagnostic("\(what) must be a number, found \(typeName)"))
            return nil
        }
        return value
    }

    /// A boolean value (`true` or `false`).
    public func boolean(_ what: String, into diagnostics: inout DiagnosticList) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            diagnostics.append(diagnostic("\(what) must be true or false, found \(typeName)"))
            return nil
        }
        switch scalar.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            diagnostics.append(diagnostic("\(what) must be true or false, found \(typeName)"))
            return nil
        }
    }

    /// A calendar date written `YYYY-MM-DD`, as midnight UTC.
    public func date(_ what: String, into diagnostics: inout DiagnosticList) -> Date? {
        guard case .scalar(let scalar) = node else {
            diagnostics.append(diagnostic("\(what) must be a date (YYYY-MM-DD), found \(typeName)"))
            return nil
        }
        let parts = scalar.string.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            diagnostics.append(diagnostic("\(what) must be a date written YYYY-MM-DD, found '\(scalar.string)'"))
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else {
            diagnostics.append(diagnostic("\(what) '\(scalar.string)' is not a valid date"))
            return nil
        }
        return date
    }

    /// A list of values.
    public func sequence(_ what: String, into diagnostics: inout DiagnosticList) -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            diagnostics.append(diagnostic("\(what) must be a list, found \(typeName)"))
            return nil
        }
        return sequence.map { YAMLValue(node: $0, file: file, source: source) }
    }

    /// A mapping with string keys, in document order.
    public func mapping(_ what: String, into diagnostics: inout DiagnosticList) -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            diagnostics.append(diagnostic("\(what) must be a mapping, found \(typeName)"))
            return nil
        }
        var entries: [YAMLMapping.Entry] = []
        for (key, value) in mapping {
            let keyValue = YAMLValue(node: key, file: file, source: source)
            guard case .scalar(let keyScalar) = key else {
                diagnostics.append(keyValue.diagnostic("keys in \(what) must be strings, found \(keyValue.typeName)"))
                continue
            }
            entries.append(YAMLMapping.Entry(key: keyScalar.string, keyValue: keyValue, value: YAMLValue(node: value, file: file, source: source)))
        }
        return YAMLMapping(entries: entries, owner: self)
    }

    public var isMapping: Bool {
        if case .mapping = node { return true }
        return false
    }

    public var isSequence: Bool {
        if case .sequence = node { return true }
        return false
    }
}

/// A YAML mapping whose keys are strings, with positions for each key.
public struct YAMLMapping {
    public struct Entry {
        public let key: String
        /// The key node, for "unknown key" errors that point at the key itself.
        public let keyValue: YAMLValue
        public let value: YAMLValue
    }

    public let entries: [Entry]
    /// The mapping node itself, for "missing key" errors.
    public let owner: YAMLValue

    public subscript(key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    /// Reports keys that are not allowed (with the closest allowed key as a suggestion) and
    /// required keys that are missing.
    public func checkKeys(
        allowed: [String], required: [String] = [], in what: String, into diagnostics: inout DiagnosticList
    ) {
        var suggested = Set<String>()
        for entry in entries where !allowed.contains(entry.key) {
            var message = "unknown key '\(entry.key)' in \(what)"
            if let suggestion = closestMatch(to: entry.key, in: allowed) {
                message += "; did you mean '\(suggestion)'?"
                suggested.insert(suggestion)
            } else {
                message += "; allowed keys: \(allowed.joined(separator: ", "))"
            }
            diagnostics.append(entry.keyValue.diagnostic(message))
        }
        // A misspelt required key is one mistake: the "did you mean" above already says it.
        for key in required where self[key] == nil && !suggested.contains(key) {
            diagnostics.append(owner.diagnostic("missing key '\(key)' in \(what)"))
        }
    }
}

/// The allowed word nearest to a misspelled one, if it is near enough to be a typo.
public func closestMatch(to word: String, in candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(word.lowercased(), candidate.lowercased())
        if distance <= max(1, candidate.count / 3), distance < (best?.1 ?? Int.max) {
            best = (candidate, distance)
        }
    }
    return best?.0
}

/// Edit distance between two short strings, counting a swap of two neighbours as one edit
/// (optimal string alignment), since swapped letters are the commonest typo (`trems`).
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var beforePrevious = Array(repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
}

/// The lines of a YAML document, to place an offset inside a block scalar.
final class SourceLines: Sendable {
    private let text: String

    /// Keeps the text; its lines are split only when a diagnostic inside a block scalar needs
    /// them (splitting every loaded file up front cost a tenth of loading large packs).
    init(_ text: String) {
        self.text = text
    }

    var lines: [[Unicode.Scalar]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    }

    /// Line and column (1-based) of the `offset`-th scalar of a block scalar whose indicator
    /// (`>-`, `|`) is on `indicatorLine`. Its content lines follow, with the indentation of the
    /// first non-empty one; each line break in the value (a space when folded, a newline when
    /// literal) counts as one scalar, as in the parsed text.
    func blockPosition(afterIndicatorLine indicatorLine: Int, offset: Int) -> (Int, Int)? {
        let lines = self.lines
        var index = indicatorLine // 0-based index of the line after the indicator
        while index < lines.count, lines[index].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { index += 1 }
        guard index < lines.count else { return nil }
        let indent = lines[index].prefix { $0 == " " }.count
        guard indent > 0 else { return nil }
        var remaining = offset
        while index < lines.count {
            let line = lines[index]
            let isBlank = line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
            if !isBlank && line.prefix(while: { $0 == " " }).count < indent { break }
            let content = isBlank ? 0 : line.count - indent - (line.last == "\r" ? 1 : 0)
            if remaining <= content { return (index + 1, indent + remaining + 1) }
            remaining -= content + 1
            index += 1
        }
        return nil
    }
}

/// Reads YAML files into positioned values.
public enum YAMLDocument {
    /// Expands folders into the `.yaml`/`.yml` files directly inside them (sorted); files are
    /// taken as given. A missing path, or a folder with none (when `requireFiles`), is an error.
    public static func files(in paths: [String], requireFiles: Bool = false, what: String = "YAML files") throws(DiagnosticsError) -> [String] {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(Diagnostic(file: path, line: 1, column: 1, message: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                let found = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                if found.isEmpty && requireFiles {
                    diagnostics.append(Diagnostic(file: path, line: 1, column: 1, message: "no \(what) (*.yaml) in this directory"))
                }
                files.append(contentsOf: found.map { (path as NSString).appendingPathComponent($0) })
            } else {
                files.append(path)
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return files
    }

    /// Parses YAML text. A syntax error becomes one diagnostic at the position libyaml reports.
    public static func parse(_ text: String, file: String) throws(DiagnosticsError) -> YAMLValue {
        do {
            // The basic resolver: accessors read a scalar's text (`integer`, `date`, ...), never
            // its implicit tag, and resolving tags with regular expressions was a third of
            // loading large packs.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw DiagnosticsError([Diagnostic(file: file, line: 1, column: 1, message: "the file is empty")])
            }
            return YAMLValue(node: node, file: file, source: SourceLines(text))
        } catch let error as DiagnosticsError {
            throw error
        } catch let error as YamlError {
            throw DiagnosticsError([diagnostic(for: error, file: file)])
        } catch {
            throw DiagnosticsError([Diagnostic(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)")])
        }
    }

    /// Reads and parses a YAML file.
    public static func load(path: String) throws(DiagnosticsError) -> (value: YAMLValue, bytes: Data) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DiagnosticsError([Diagnostic(file: path, line: 1, column: 1, message: "cannot read file: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticsError([Diagnostic(file: path, line: 1, column: 1, message: "the file is not valid UTF-8")])
        }
        return (try parse(text, file: path), data)
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return Diagnostic(file: file, line: mark.line, column: mark.column, message: message)
        case let .duplicatedKeysInMapping(duplicates, context):
            return Diagnostic(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping"
            )
        case let .reader(problem, offset, _, _):
            return Diagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return Diagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}
