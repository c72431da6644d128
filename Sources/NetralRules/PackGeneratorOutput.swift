import Foundation

/// Writes generated packs as pack YAML (format 1), readable and stable: signals in the order
/// given, terms in flow lists wrapped near 120 columns, values quoted only when YAML needs it.
extension PackBuilder {
    static func pack(name: String, version: String, title: String, window: (from: String, to: String)?, comment: String,
                     signals: [SignalOut], legislators: (body: String, rows: [LegislatorRow])? = nil,
                     examples: [GeneratorOverlay.Example]) -> String {
        var out = PackGenerator.header + "\n"
        for line in comment.split(separator: "\n", omittingEmptySubsequences: false) { out += "# \(line)".trimmingTrailingSpaces + "\n" }
        out += "# Sumber, cara menjalankan ulang dan overlay: README.md di folder ini.\n"
        out += "format: 1\n"
        out += "pack: \(scalar(name))\n"
        out += "version: \(quoted(version))\n"
        out += "title: \(scalar(title))\n"
        if let window { out += "window: {from: \(window.from), to: \(window.to)}\n" }
        if !signals.isEmpty { out += "\nsignals:\n" }
        for signal in signals {
            out += "  \(signal.name):\n"
            out += "    kind: \(signal.kind)\n"
            out += "    label: \(scalar(signal.label))\n"
            if let number = signal.number { out += "    number: \(number)\n" }
            if let target = signal.cancels { out += "    cancels: {target: \(target), within: 0}\n" }
            if !signal.includes.isEmpty { out += flowList("    includes: ", signal.includes.map(scalar)) }
            if !signal.context.isEmpty { out += flowList("    context: ", signal.context.map(scalar)) }
            if let groups = signal.numberContext {
                out += flowList("    number_context: ", groups.map { group in "[" + group.map(scalar).joined(separator: ", ") + "]" })
            }
            // Terms that need context as a list of their own (one node each, not a mapping).
            let plain = signal.terms.filter { !($0.needsContext && !$0.exactCase && !$0.verbAffixes) }
            let contextual = signal.terms.filter { $0.needsContext && !$0.exactCase && !$0.verbAffixes }
            if !plain.isEmpty || contextual.isEmpty { out += flowList("    terms: ", plain.map(term)) }
            if !contextual.isEmpty { out += flowList("    context_terms: ", contextual.map { scalar($0.text) }) }
        }
        if let legislators {
            out += "\nlegislators:\n  body: \(scalar(legislators.body))\n  rows:\n"
            out += "    # sinyal | nomor urut | partai (~: tanpa partai) | daerah pemilihan | label | bentuk nama | ...\n"
            for row in legislators.rows {
                let cells = [row.signal, "\(row.number)", row.party ?? "~", row.district, row.label] + row.names
                out += "    - " + quoted(cells.map { $0.replacingOccurrences(of: "|", with: "/") }.joined(separator: " | ")) + "\n"
            }
        }
        if !examples.isEmpty {
            out += "\nexamples:\n"
            for example in examples {
                out += "  - text: \(scalar(example.text))\n"
                if let author = example.author { out += "    author: \(scalar(author))\n" }
                if let bio = example.bio { out += "    bio: \(scalar(bio))\n" }
                if let published = example.published { out += "    published: \(published)\n" }
                if let note = example.note { out += "    note: \(scalar(note))\n" }
                if let trap = example.trap { out += "    trap: \(scalar(trap))\n" }
                out += "    expect: [" + example.expect.map(scalar).joined(separator: ", ") + "]\n"
            }
        }
        return out
    }

    /// `key: [a, b, ...]`, continued on lines indented two more than the key.
    static func flowList(_ key: String, _ items: [String]) -> String {
        let indent = String(repeating: " ", count: key.prefix { $0 == " " }.count + 2)
        var out = key + "["
        var line = out.count
        for (index, item) in items.enumerated() {
            let piece = item + (index == items.count - 1 ? "]" : ",")
            if index > 0 {
                if line + 1 + piece.count > 120 {
                    out += "\n" + indent
                    line = indent.count
                } else {
                    out += " "
                    line += 1
                }
            }
            out += piece
            line += piece.count
        }
        if items.isEmpty { out += "]" }
        return out + "\n"
    }

    static func term(_ spec: GeneratorOverlay.TermSpec) -> String {
        var options: [String] = []
        if spec.exactCase { options.append("case: exact") }
        if spec.verbAffixes { options.append("affixes: verb") }
        if spec.needsContext { options.append("needs: context") }
        if options.isEmpty { return scalar(spec.text) }
        return "{term: \(scalar(spec.text)), " + options.joined(separator: ", ") + "}"
    }

    /// Words YAML reads as something other than a string.
    static let reserved: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"]

    /// A plain scalar when it is only lowercase letters, digits, spaces and inner hyphens and
    /// starts with a letter (and is not a YAML word); else double-quoted.
    static func scalar(_ text: String) -> String {
        let plain = text.first.map { $0.isLetter && $0.isASCII } == true && !text.hasSuffix(" ") && !text.hasSuffix("-")
            && text.unicodeScalars.allSatisfy { ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == " " || $0 == "-" }
            && !reserved.contains(text.lowercased()) && !text.contains("  ")
        return plain ? text : quoted(text)
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
