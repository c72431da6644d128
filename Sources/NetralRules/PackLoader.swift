import Foundation
import Crypto
public import NetralModel
public import NetralYAML

/// Reads rule-pack files, checks everything up front, and compiles them into one `RuleSet`.
/// Every error of every file is collected before giving up, each as `file:line:col: message`.
public enum PackLoader {
    /// The pack format this version reads.
    public static let supportedFormat = 1

    /// Expands directories into the `.yaml`/`.yml` files directly inside them (sorted);
    /// files are taken as given.
    /// A folder's subfolders are read too, one level down (generated packs live in
    /// `Rules/pemilu-2024/`), except `sites` (site profiles) and `overlay` (the generator's
    /// input), which hold no packs.
    public static func packFiles(in paths: [String]) throws(DiagnosticsError) -> [String] {
        var expanded: [String] = []
        for path in paths {
            expanded.append(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") && !nonPackFolders.contains(name) {
                let child = (path as NSString).appendingPathComponent(name)
                var childIsDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: child, isDirectory: &childIsDirectory), childIsDirectory.boolValue,
                   ((try? FileManager.default.contentsOfDirectory(atPath: child)) ?? []).contains(where: { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }) {
                    expanded.append(child)
                }
            }
        }
        return try YAMLDocument.files(in: expanded, requireFiles: true, what: "rule packs")
    }

    /// Subfolders of a rules folder that hold something other than packs.
    static let nonPackFolders: Set<String> = ["sites", "overlay"]

    /// Loads and compiles the packs at `paths` (files or directories).
    public static func load(paths: [String]) throws(DiagnosticsError) -> RuleSet {
        let files = try packFiles(in: paths)
        var diagnostics = DiagnosticList()
        var parsed: [ParsedPack] = []
        // Files are read and checked on their own, so on every core at once (generated packs
        // are tens of files); results are kept in file order.
        let results = ParseResults(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            var fileDiagnostics = DiagnosticList()
            var pack: ParsedPack?
            do throws(DiagnosticsError) {
                let (value, bytes) = try YAMLDocument.load(path: files[index])
                pack = parsePack(value, bytes: bytes, file: files[index], into: &fileDiagnostics)
            } catch {
                for diagnostic in error.diagnostics { fileDiagnostics.append(diagnostic) }
            }
            results.set(index, pack: pack, diagnostics: fileDiagnostics)
        }
        for (pack, fileDiagnostics) in results.all {
            for diagnostic in fileDiagnostics.sorted { diagnostics.append(diagnostic) }
            if let pack { parsed.append(pack) }
        }
        checkAcrossPacks(parsed, into: &diagnostics)
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics.sorted) }
        return RuleSet(packs: parsed.map(\.pack))
    }

    /// Each file's parsed pack and diagnostics, written by the thread that read it.
    private final class ParseResults: @unchecked Sendable {
        private var results: [(ParsedPack?, DiagnosticList)]
        private let lock = NSLock()

        init(count: Int) { results = Array(repeating: (nil, DiagnosticList()), count: count) }

        func set(_ index: Int, pack: ParsedPack?, diagnostics: DiagnosticList) {
            lock.lock()
            defer { lock.unlock() }
            results[index] = (pack, diagnostics)
        }

        var all: [(ParsedPack?, DiagnosticList)] {
            lock.lock()
            defer { lock.unlock() }
            return results
        }
    }

    // MARK: - One file

    /// A pack plus the positions the cross-pack checks need.
    struct ParsedPack {
        var pack: RulePack
        var nameField: YAMLValue?
        var signalKeys: [String: YAMLValue]
        var ruleIDs: [(String, YAMLValue)]
        /// Each name used in a condition, with the YAML scalar and the offset inside it.
        var nameUses: [(name: String, value: YAMLValue, offset: Int)]
        /// Rule ids named in examples' `expect`.
        var expectedRules: [(String, YAMLValue)]
        /// Per violation rule, the names its `when` uses, for the speaker-attribution check.
        var violationIdentityUses: [(rule: String, uses: [IdentityUse])] = []
    }

    static let packKeys = ["format", "pack", "version", "title", "description", "window", "signals", "legislators", "define", "rules", "examples"]
    static let signalKeys = ["kind", "label", "number", "terms", "description", "weight", "window", "cancels", "identifies", "context", "number_context", "includes", "context_terms"]
    static let termKeys = ["term", "case", "affixes", "fuzzy", "needs"]
    static let ruleKeys = ["id", "class", "act", "severity", "description", "when", "unless"]
    static let exampleKeys = ["id", "text", "title", "author", "handle", "bio", "alt", "published", "subject", "shared_by", "interaction", "expect", "expect_includes", "note",
                               "trap"]

    static func parsePack(_ root: YAMLValue, bytes: Data, file: String, into diagnostics: inout DiagnosticList) -> ParsedPack? {
        guard let mapping = root.mapping("a rule pack", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: packKeys, required: ["format", "pack", "version"], in: "the pack", into: &diagnostics)

        if let format = mapping["format"], let value = format.integer("format", into: &diagnostics), value != supportedFormat {
            diagnostics.append(format.diagnostic("unsupported pack format \(value); this Netral reads format \(supportedFormat)"))
        }
        let name = mapping["pack"].flatMap { $0.string("pack", into: &diagnostics) } ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let version = mapping["version"].flatMap { $0.string("version", into: &diagnostics, allowPlainNumbers: true) } ?? "0"
        let title = mapping["title"].flatMap { $0.string("title", into: &diagnostics) }
        if let description = mapping["description"] { _ = description.string("description", into: &diagnostics) }

        var window: PackWindow?
        if let windowValue = mapping["window"], let windowMap = windowValue.mapping("window", into: &diagnostics) {
            windowMap.checkKeys(allowed: ["from", "to"], required: ["from", "to"], in: "window", into: &diagnostics)
            if let from = windowMap["from"]?.date("window.from", into: &diagnostics),
               let to = windowMap["to"]?.date("window.to", into: &diagnostics) {
                if to < from {
                    diagnostics.append(windowValue.diagnostic("window ends (to) before it starts (from)"))
                } else {
                    window = PackWindow(from: from, to: to)
                }
            }
        }

        var signals: [Signal] = []
        var signalPositions: [String: YAMLValue] = [:]
        if let signalsValue = mapping["signals"], let signalsMap = signalsValue.mapping("signals", into: &diagnostics) {
            for entry in signalsMap.entries {
                if let signal = parseSignal(name: entry.key, keyValue: entry.keyValue, value: entry.value, into: &diagnostics) {
                    signals.append(signal)
                    signalPositions[entry.key] = entry.keyValue
                }
            }
        }
        if let legislatorsValue = mapping["legislators"] {
            for (signal, at) in parseLegislators(legislatorsValue, into: &diagnostics) {
                if signalPositions[signal.name] != nil {
                    diagnostics.append(at.diagnostic("duplicate signal '\(signal.name)' in this pack"))
                    continue
                }
                signals.append(signal)
                signalPositions[signal.name] = at
            }
        }

        var nameUses: [(name: String, value: YAMLValue, offset: Int)] = []
        var definitions: [Definition] = []
        var defined: [String: Condition] = [:]
        if let defineValue = mapping["define"], let defineMap = defineValue.mapping("define", into: &diagnostics) {
            for entry in defineMap.entries {
                if signalPositions[entry.key] != nil || SignalKind(rawValue: entry.key) != nil || ConditionParser.keywords.contains(entry.key) {
                    diagnostics.append(entry.keyValue.diagnostic("definition '\(entry.key)' has the name of a signal, a kind or a keyword"))
                    continue
                }
                guard let text = entry.value.string("definition '\(entry.key)'", into: &diagnostics) else { continue }
                do {
                    let (condition, names) = try ConditionParser.parse(text)
                    // Earlier definitions may be used by later ones.
                    let expanded = condition.expanding(defined)
                    for use in names where defined[use.name] == nil { nameUses.append((use.name, entry.value, use.offset)) }
                    defined[entry.key] = expanded
                    definitions.append(Definition(name: entry.key, condition: expanded, text: text))
                } catch {
                    diagnostics.append(entry.value.diagnostic("invalid condition: \(error.message)", atOffset: error.offset))
                }
            }
        }

        var rules: [Rule] = []
        var ruleIDs: [(String, YAMLValue)] = []
        var violationIdentityUses: [(rule: String, uses: [IdentityUse])] = []
        if let rulesValue = mapping["rules"], let list = rulesValue.sequence("rules", into: &diagnostics) {
            for ruleValue in list {
                if let (rule, idValue, uses, identity) = parseRule(ruleValue, definitions: defined, into: &diagnostics) {
                    rules.append(rule)
                    ruleIDs.append((rule.id, idValue))
                    nameUses.append(contentsOf: uses)
                    if rule.findingClass == .violation { violationIdentityUses.append((rule.id, identity)) }
                }
            }
        }

        var examples: [PackExample] = []
        var expectedRules: [(String, YAMLValue)] = []
        if let examplesValue = mapping["examples"], let list = examplesValue.sequence("examples", into: &diagnostics) {
            for (index, exampleValue) in list.enumerated() {
                if let (example, expects) = parseExample(exampleValue, packName: name, index: index, into: &diagnostics) {
                    examples.append(example)
                    expectedRules.append(contentsOf: expects)
                }
            }
        }

        let digest = hexString(SHA256.hash(data: bytes))
        let pack = RulePack(
            reference: PackReference(name: name, version: version, sha256: digest),
            path: file, title: title, window: window, signals: signals, definitions: definitions, rules: rules, examples: examples
        )
        return ParsedPack(
            pack: pack, nameField: mapping["pack"], signalKeys: signalPositions, ruleIDs: ruleIDs,
            nameUses: nameUses, expectedRules: expectedRules, violationIdentityUses: violationIdentityUses
        )
    }

    /// Whether a signal name may be used; reports why not at `keyValue`.
    static func checkSignalName(_ name: String, at keyValue: YAMLValue, into diagnostics: inout DiagnosticList) -> Bool {
        if SignalKind(rawValue: name) != nil || ConditionParser.keywords.contains(name) {
            diagnostics.append(keyValue.diagnostic("signal name '\(name)' is reserved (it names a kind or a keyword); choose another name"))
            return false
        }
        if Detectors.builtInSignals.contains(where: { $0.name == name }) {
            diagnostics.append(keyValue.diagnostic("signal name '\(name)' is reserved for a built-in detector; choose another name"))
            return false
        }
        if name.isEmpty || !name.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }) {
            diagnostics.append(keyValue.diagnostic("signal name '\(name)' may use only letters, digits, '-', '_' and '.'"))
            return false
        }
        return true
    }

    static func parseSignal(name: String, keyValue: YAMLValue, value: YAMLValue, into diagnostics: inout DiagnosticList) -> Signal? {
        guard checkSignalName(name, at: keyValue, into: &diagnostics) else { return nil }
        guard let mapping = value.mapping("signal '\(name)'", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: signalKeys, required: mapping["context_terms"] == nil ? ["kind", "terms"] : ["kind"],
                          in: "signal '\(name)'", into: &diagnostics)
        var kind: SignalKind?
        if let kindValue = mapping["kind"], let text = kindValue.string("kind", into: &diagnostics) {
            kind = SignalKind(rawValue: text)
            if kind == nil {
                var message = "unknown signal kind '\(text)'; expected one of \(SignalKind.allCases.map(\.rawValue).joined(separator: ", "))"
                if let suggestion = closestMatch(to: text, in: SignalKind.allCases.map(\.rawValue)) {
                    message = "unknown signal kind '\(text)'; did you mean '\(suggestion)'?"
                }
                diagnostics.append(kindValue.diagnostic(message))
            }
        }
        let label = mapping["label"].flatMap { $0.string("label", into: &diagnostics) }
        let number = mapping["number"].flatMap { $0.integer("number", into: &diagnostics) }
        if let description = mapping["description"] { _ = description.string("description", into: &diagnostics) }
        var terms: [Term] = []
        if let termsValue = mapping["terms"], let list = termsValue.sequence("terms", into: &diagnostics) {
            if list.isEmpty && mapping["context_terms"] == nil { diagnostics.append(termsValue.diagnostic("signal '\(name)' has no terms")) }
            for termValue in list {
                if let term = parseTerm(termValue, into: &diagnostics) { terms.append(term) }
            }
        }
        // `context_terms: [a, b]` is `terms: [{term: a, needs: context}, ...]`, shorter for
        // generated packs with thousands of them.
        if let termsValue = mapping["context_terms"], let list = termsValue.sequence("context_terms", into: &diagnostics) {
            for termValue in list {
                if var term = parseTerm(termValue, into: &diagnostics) {
                    term.needsContext = true
                    terms.append(term)
                }
            }
        }
        var weight = 1.0
        if let weightValue = mapping["weight"], let value = weightValue.number("weight", into: &diagnostics) {
            if value > 0 && value <= 1 { weight = value } else { diagnostics.append(weightValue.diagnostic("weight must be greater than 0 and at most 1")) }
        }
        var window: SignalWindow?
        if let windowValue = mapping["window"], let windowMap = windowValue.mapping("window", into: &diagnostics) {
            windowMap.checkKeys(allowed: ["from", "to"], in: "window", into: &diagnostics)
            let from = windowMap["from"].flatMap { $0.date("window.from", into: &diagnostics) }
            let to = windowMap["to"].flatMap { $0.date("window.to", into: &diagnostics) }
            if from == nil && to == nil {
                diagnostics.append(windowValue.diagnostic("window needs 'from', 'to' or both"))
            } else if let from, let to, to < from {
                diagnostics.append(windowValue.diagnostic("window ends (to) before it starts (from)"))
            } else {
                window = SignalWindow(from: from, to: to)
            }
        }
        var cancels: Cancellation?
        if let cancelsValue = mapping["cancels"], let cancelsMap = cancelsValue.mapping("cancels", into: &diagnostics) {
            cancelsMap.checkKeys(allowed: ["target", "within", "before", "someone_else"], required: ["target"], in: "cancels", into: &diagnostics)
            if let target = cancelsMap["target"]?.string("cancels.target", into: &diagnostics) {
                let within = cancelsMap["within"].flatMap { $0.integer("cancels.within", into: &diagnostics) } ?? 2
                let before = cancelsMap["before"].flatMap { $0.integer("cancels.before", into: &diagnostics) }
                let someoneElse = cancelsMap["someone_else"].flatMap { $0.boolean("cancels.someone_else", into: &diagnostics) } ?? false
                cancels = Cancellation(target: target, within: min(max(0, within), 12), before: before.map { min(max(0, $0), 12) },
                                       someoneElse: someoneElse)
            }
            if kind != .qualifier { diagnostics.append(cancelsValue.diagnostic("only signals of kind qualifier can cancel other hits")) }
        } else if kind == .qualifier {
            diagnostics.append(mapping.owner.diagnostic("a qualifier needs 'cancels: {target: KIND-OR-SIGNAL, within: WORDS}'"))
        }
        var identifies: Attribution?
        if let identifiesValue = mapping["identifies"], let identifiesMap = identifiesValue.mapping("identifies", into: &diagnostics) {
            identifiesMap.checkKeys(allowed: ["target", "after", "before"], required: ["target"], in: "identifies", into: &diagnostics)
            let after = identifiesMap["after"].flatMap { $0.integer("identifies.after", into: &diagnostics) }
            let before = identifiesMap["before"].flatMap { $0.integer("identifies.before", into: &diagnostics) }
            for (key, words) in [("after", after), ("before", before)] {
                if let words, !(0...12).contains(words), let at = identifiesMap[key] {
                    diagnostics.append(at.diagnostic("identifies.\(key) must be between 0 and 12 words, found \(words)"))
                }
            }
            if after == nil && before == nil {
                diagnostics.append(identifiesValue.diagnostic("identifies needs 'after: WORDS' (identity words after the marker), 'before: WORDS' (before it), or both"))
            }
            if let target = identifiesMap["target"]?.string("identifies.target", into: &diagnostics) {
                identifies = Attribution(target: target, after: after.map { min(max($0, 0), 12) }, before: before.map { min(max($0, 0), 12) })
            }
            if kind != .speaker { diagnostics.append(identifiesValue.diagnostic("only signals of kind speaker can identify the author")) }
        } else if kind == .speaker {
            diagnostics.append(mapping.owner.diagnostic("a speaker marker needs 'identifies: {target: KIND-OR-SIGNAL, after: WORDS}'"))
        }
        // Which race a candidate runs in (see `RaceScope`): names checked across packs.
        var context: [String] = []
        if let contextValue = mapping["context"], let list = contextValue.sequence("context", into: &diagnostics) {
            context = list.compactMap { $0.string("a signal name in context", into: &diagnostics) }
            if kind != .candidate { diagnostics.append(contextValue.diagnostic("only candidate signals have a context")) }
            if context.isEmpty { diagnostics.append(contextValue.diagnostic("context lists the signals that name the race; found none")) }
        }
        var numberContext: [[String]]?
        if let groupsValue = mapping["number_context"], let groups = groupsValue.sequence("number_context", into: &diagnostics) {
            numberContext = groups.compactMap { group in
                guard let list = group.sequence("a group of number_context", into: &diagnostics) else { return nil }
                if list.isEmpty { diagnostics.append(group.diagnostic("a group of number_context needs at least one signal")) }
                return list.compactMap { $0.string("a signal name in number_context", into: &diagnostics) }
            }
            if groups.count > RaceScope.maximumGroups {
                diagnostics.append(groupsValue.diagnostic("number_context has at most \(RaceScope.maximumGroups) groups, found \(groups.count)"))
            }
            if kind != .candidate || number == nil { diagnostics.append(groupsValue.diagnostic("only a candidate signal with a number has a number_context")) }
        }
        var includes: [String] = []
        if let includesValue = mapping["includes"], let list = includesValue.sequence("includes", into: &diagnostics) {
            includes = list.compactMap { $0.string("a signal name in includes", into: &diagnostics) }
            if kind != .race { diagnostics.append(includesValue.diagnostic("only race signals include other signals")) }
        }
        if kind == .race, let number, number < 1, let at = mapping["number"] {
            diagnostics.append(at.diagnostic("a ballot number is 1 or more, found \(number)"))
        }
        if context.isEmpty, mapping["context"] == nil, terms.contains(where: \.needsContext), let at = mapping["terms"] ?? mapping["context_terms"] {
            diagnostics.append(at.diagnostic("signal '\(name)' has terms that need context but no 'context:' naming its race"))
        }
        guard let kind else { return nil }
        return Signal(name: name, kind: kind, label: label, number: number, terms: terms, weight: weight, window: window, cancels: cancels,
                      identifies: identifies, context: context, numberContext: numberContext, includes: includes)
    }

    static func parseTerm(_ value: YAMLValue, into diagnostics: inout DiagnosticList) -> Term? {
        var term: Term?
        if value.isMapping {
            guard let mapping = value.mapping("a term", into: &diagnostics) else { return nil }
            mapping.checkKeys(allowed: termKeys, required: ["term"], in: "a term", into: &diagnostics)
            guard let text = mapping["term"]?.string("term", into: &diagnostics, allowPlainNumbers: true) else { return nil }
            var exact = false
            if let caseValue = mapping["case"], let mode = caseValue.string("case", into: &diagnostics) {
                switch mode {
                case "exact": exact = true
                case "fold": exact = false
                default: diagnostics.append(caseValue.diagnostic("case must be 'exact' or 'fold', found '\(mode)'"))
                }
            }
            var affixes = false
            if let affixValue = mapping["affixes"], let mode = affixValue.string("affixes", into: &diagnostics) {
                if mode == "verb" {
                    affixes = true
                    if Tokenizer.tokens(of: text).count != 1 {
                        diagnostics.append(affixValue.diagnostic("affixes: verb needs a one-word root, found '\(text)'"))
                    }
                } else {
                    diagnostics.append(affixValue.diagnostic("affixes must be 'verb', found '\(mode)'"))
                }
            }
            var fuzzy = false
            if let fuzzyValue = mapping["fuzzy"], let distance = fuzzyValue.integer("fuzzy", into: &diagnostics) {
                let words = Tokenizer.tokens(of: text)
                if distance != 1 && distance != 0 {
                    diagnostics.append(fuzzyValue.diagnostic("fuzzy must be 0 or 1 (edits allowed), found \(distance)"))
                } else if distance == 1 && (words.count != 1 || words[0].normalized.count < 6) {
                    diagnostics.append(fuzzyValue.diagnostic("fuzzy: 1 needs a one-word term of at least 6 letters, found '\(text)'"))
                } else {
                    fuzzy = distance == 1
                }
            }
            var needsContext = false
            if let needsValue = mapping["needs"], let what = needsValue.string("needs", into: &diagnostics) {
                if what == "context" { needsContext = true } else { diagnostics.append(needsValue.diagnostic("needs must be 'context', found '\(what)'")) }
            }
            term = Term(text: text, exactCase: exact, verbAffixes: affixes, fuzzy: fuzzy, needsContext: needsContext)
        } else if let text = value.string("a term", into: &diagnostics, allowPlainNumbers: true) {
            term = Term(text: text)
        }
        guard let term else { return nil }
        if term.text.allSatisfy(\.isWhitespace) {
            diagnostics.append(value.diagnostic("empty term"))
            return nil
        }
        // An ASCII letter or digit is a token; only other terms need the tokenizer to tell
        // (a generated pack has tens of thousands of terms).
        if !term.text.utf8.contains(where: { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || (0x30...0x39).contains($0) }),
           Tokenizer.tokens(of: term.text).isEmpty {
            diagnostics.append(value.diagnostic("term '\(term.text)' has no letters, digits or emoji, so it can never match"))
            return nil
        }
        return term
    }

    /// A name in a rule's `when` that may stand for identity, and whether the `[self]` scope
    /// limits it; checked once every pack's signals are known.
    struct IdentityUse {
        var name: String
        var scopedToSelf: Bool
        var value: YAMLValue
        var offset: Int
        /// The definition it was written in, when it came through one.
        var definition: String?
    }

    /// Every name in `condition` with whether it is scoped to `[self]`, definitions expanded
    /// (a name used through a definition is reported at the definition's use in the rule).
    static func identityUses(in condition: Condition, names: [(name: String, offset: Int)], definitions: [String: Condition], value: YAMLValue) -> [IdentityUse] {
        var collector = IdentityUseCollector(names: names, definitions: definitions, value: value)
        collector.walk(condition, negated: false, definition: nil)
        return collector.uses
    }

    /// Walks a condition for `identityUses`. A struct with a recursive method rather than
    /// recursive local functions: those capture their context in a box that refers to itself,
    /// which LeakSanitizer rightly reports.
    private struct IdentityUseCollector {
        let names: [(name: String, offset: Int)]
        let definitions: [String: Condition]
        let value: YAMLValue
        var uses: [IdentityUse] = []
        /// The parser lists names in the order written, as this walk visits them.
        var next = 0

        mutating func consume() -> Int {
            defer { next += 1 }
            return next < names.count ? names[next].offset : 0
        }

        mutating func record(_ name: String, scopedToSelf: Bool, negated: Bool, definition: (name: String, at: Int)?) {
            let offset = definition?.at ?? consume()
            if !negated { uses.append(IdentityUse(name: name, scopedToSelf: scopedToSelf, value: value, offset: offset, definition: definition?.name)) }
        }

        /// `definition`: the definition a name came through, and the offset of its name in the rule.
        mutating func walk(_ condition: Condition, negated: Bool, definition: (name: String, at: Int)?) {
            switch condition {
            case .name(let name):
                if definition == nil, let defined = definitions[name] {
                    walk(defined, negated: negated, definition: (name, consume()))
                } else {
                    record(name, scopedToSelf: false, negated: negated, definition: definition)
                }
            case let .scoped(name, scopes):
                record(name, scopedToSelf: scopes == [.self], negated: negated, definition: definition)
            case let .near(first, second, _):
                record(first, scopedToSelf: false, negated: negated, definition: definition)
                record(second, scopedToSelf: false, negated: negated, definition: definition)
            case .and(let parts), .or(let parts), .atLeast(_, let parts):
                for part in parts { walk(part, negated: negated, definition: definition) }
            case .not(let part):
                // Identity under `not` never makes a rule fire.
                walk(part, negated: true, definition: definition)
            }
        }
    }

    static func parseRule(_ value: YAMLValue, definitions: [String: Condition], into diagnostics: inout DiagnosticList) -> (Rule, YAMLValue, [(name: String, value: YAMLValue, offset: Int)], [IdentityUse])? {
        guard let mapping = value.mapping("a rule", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: ruleKeys, required: ["id", "act", "severity", "when"], in: "a rule", into: &diagnostics)
        let id = mapping["id"].flatMap { $0.string("id", into: &diagnostics) }
        var act = mapping["act"].flatMap { $0.string("act", into: &diagnostics) }
        if let actValue = mapping["act"], let text = act, ProhibitedAct.titles[text] == nil {
            let known = ProhibitedAct.titles.keys.sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
            diagnostics.append(actValue.diagnostic("unknown act '\(text)'; expected one of \(known.joined(separator: ", ")) (SKB 2/2022)"))
            act = nil
        }
        var findingClass = FindingClass.violation
        if let classValue = mapping["class"], let text = classValue.string("class", into: &diagnostics) {
            if let value = FindingClass(rawValue: text) {
                findingClass = value
            } else {
                diagnostics.append(classValue.diagnostic("class must be violation or report, found '\(text)'"))
            }
        }
        var severity: Severity?
        if let severityValue = mapping["severity"], let text = severityValue.string("severity", into: &diagnostics) {
            severity = Severity(rawValue: text)
            if severity == nil {
                diagnostics.append(severityValue.diagnostic("severity must be low, medium or high, found '\(text)'"))
            }
        }
        let description = mapping["description"].flatMap { $0.string("description", into: &diagnostics) } ?? ""
        var uses: [(name: String, value: YAMLValue, offset: Int)] = []
        var identityUses: [IdentityUse] = []
        func condition(_ key: String) -> (Condition, String)? {
            guard let conditionValue = mapping[key], let text = conditionValue.string(key, into: &diagnostics) else { return nil }
            do {
                let (condition, names) = try ConditionParser.parse(text)
                uses.append(contentsOf: names.filter { definitions[$0.name] == nil }.map { ($0.name, conditionValue, $0.offset) })
                if key == "when" {
                    identityUses = Self.identityUses(in: condition, names: names, definitions: definitions, value: conditionValue)
                }
                return (condition.expanding(definitions), text)
            } catch {
                diagnostics.append(conditionValue.diagnostic("invalid condition: \(error.message)", atOffset: error.offset))
                return nil
            }
        }
        let when = condition("when")
        let unless = condition("unless")
        guard let id, let act, let severity, let when, let idValue = mapping["id"] else { return nil }
        if mapping["unless"] != nil && unless == nil { return nil }
        let rule = Rule(
            id: id, findingClass: findingClass, act: act, severity: severity, description: description,
            when: when.0, whenText: when.1, unless: unless?.0, unlessText: unless?.1
        )
        return (rule, idValue, uses, identityUses)
    }

    static func parseExample(_ value: YAMLValue, packName: String, index: Int, into diagnostics: inout DiagnosticList) -> (PackExample, [(String, YAMLValue)])? {
        parseLabelledItem(value, defaultID: "\(packName)/\(index + 1)", into: &diagnostics)
    }

    /// A labelled item, as pack examples and fixture sets write it.
    static func parseLabelledItem(_ value: YAMLValue, defaultID: String, into diagnostics: inout DiagnosticList) -> (PackExample, [(String, YAMLValue)])? {
        guard let mapping = value.mapping("a labelled item", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: exampleKeys, required: ["text"], in: "a labelled item", into: &diagnostics)
        guard let text = mapping["text"]?.string("text", into: &diagnostics) else { return nil }
        let id = mapping["id"].flatMap { $0.string("id", into: &diagnostics, allowPlainNumbers: true) } ?? defaultID
        let title = mapping["title"].flatMap { $0.string("title", into: &diagnostics) }
        let authorName = mapping["author"].flatMap { $0.string("author", into: &diagnostics) }
        let handle = mapping["handle"].flatMap { $0.string("handle", into: &diagnostics, allowPlainNumbers: true) }
        let bio = mapping["bio"].flatMap { $0.string("bio", into: &diagnostics) }
        let alt = mapping["alt"].flatMap { $0.string("alt", into: &diagnostics) }
        let published = mapping["published"].flatMap { $0.date("published", into: &diagnostics) }
        let note = mapping["note"].flatMap { $0.string("note", into: &diagnostics) }
        let trap = mapping["trap"].flatMap { $0.string("trap", into: &diagnostics) }
        let subject = mapping["subject"].flatMap { parseSubject($0, into: &diagnostics) }
        // The account that boosted or reposted the post (the scanned one); `author` wrote it.
        let sharedBy = mapping["shared_by"].flatMap { $0.string("shared_by", into: &diagnostics) }
        // The author replied to, shared or liked a registered campaign account's post
        // (`campaign-account` targets): `interaction: "share like"`.
        var interaction: CampaignInteraction?
        if let value = mapping["interaction"], let text = value.string("interaction", into: &diagnostics) {
            let words = text.split(separator: " ").map(String.init)
            let kinds = words.compactMap(CampaignInteraction.Kind.init(rawValue:))
            if kinds.isEmpty || kinds.count != words.count {
                diagnostics.append(value.diagnostic("interaction lists what the author did with a campaign account's post: reply, share or like (space-separated), found '\(text)'"))
            } else {
                interaction = CampaignInteraction(kinds: kinds, post: "label:\(id)#kiriman-kampanye", campaignAccount: "@akun.kampanye")
            }
        }
        // `expect`: exactly these findings; `expect_includes`: at least these (others may fire).
        var expects: [(String, YAMLValue)] = []
        let atLeast = mapping["expect_includes"] != nil
        switch (mapping["expect"], mapping["expect_includes"]) {
        case (nil, nil):
            diagnostics.append(value.diagnostic("a labelled item needs 'expect' (exactly these findings) or 'expect_includes' (at least these)"))
            return nil
        case (.some, .some):
            diagnostics.append(mapping["expect_includes"]!.diagnostic("give either 'expect' (exactly these findings) or 'expect_includes' (at least these), not both"))
            return nil
        default:
            let key = atLeast ? "expect_includes" : "expect"
            guard let list = mapping[key]!.sequence(key, into: &diagnostics) else { return nil }
            if atLeast && list.isEmpty {
                diagnostics.append(mapping[key]!.diagnostic("expect_includes lists at least one rule id; to expect no finding write 'expect: []'"))
            }
            for entry in list {
                if let ruleID = entry.string("a rule id in \(key)", into: &diagnostics) { expects.append((ruleID, entry)) }
            }
        }
        let position = value.position
        let author = (authorName != nil || bio != nil || handle != nil) ? Author(name: authorName, handle: handle, bio: bio) : nil
        let item = Item(
            sourceURL: "label:\(id)",
            platform: "label",
            author: author,
            publishedAt: published,
            title: title,
            body: text,
            imageAlts: alt.map { [$0] } ?? [],
            hashtags: [],
            metadata: (sharedBy.map { ["boosted_by": $0] } ?? [:]).merging(interaction?.metadata ?? [:]) { first, _ in first },
            subject: subject
        )
        let example = PackExample(
            id: id, item: item, expect: expects.map(\.0), location: "\(value.file):\(position.line):\(position.column)",
            note: note, trap: trap, expectIncludes: atLeast
        )
        return (example, expects)
    }

    /// A `subject` mapping (name, role, agency, nip), as labelled items and targets write it.
    public static func parseSubject(_ value: YAMLValue, into diagnostics: inout DiagnosticList) -> Subject? {
        guard let mapping = value.mapping("subject", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: ["name", "role", "agency", "nip"], in: "subject", into: &diagnostics)
        return Subject(
            name: mapping["name"].flatMap { $0.string("subject.name", into: &diagnostics) },
            role: mapping["role"].flatMap { $0.string("subject.role", into: &diagnostics) },
            agency: mapping["agency"].flatMap { $0.string("subject.agency", into: &diagnostics) },
            nip: mapping["nip"].flatMap { $0.string("subject.nip", into: &diagnostics, allowPlainNumbers: true) }
        )
    }

    // MARK: - Across files

    static func checkAcrossPacks(_ packs: [ParsedPack], into diagnostics: inout DiagnosticList) {
        var packNames: [String: String] = [:]
        var signalOwners: [String: String] = [:]
        var ruleOwners: [String: String] = [:]
        for parsed in packs {
            let name = parsed.pack.reference.name
            if let other = packNames[name] {
                let at = parsed.nameField ?? parsed.signalKeys.values.first
                if let at { diagnostics.append(at.diagnostic("pack name '\(name)' is already used by \(other)")) }
            }
            packNames[name] = parsed.pack.path
            for signal in parsed.pack.signals {
                if let owner = signalOwners[signal.name], let at = parsed.signalKeys[signal.name] {
                    diagnostics.append(at.diagnostic("duplicate signal '\(signal.name)': already defined in pack '\(owner)'"))
                }
                signalOwners[signal.name] = name
            }
            for (id, at) in parsed.ruleIDs {
                if let owner = ruleOwners[id] {
                    diagnostics.append(at.diagnostic("duplicate rule id '\(id)': already defined in pack '\(owner)'"))
                }
                ruleOwners[id] = name
            }
        }
        for builtIn in Detectors.builtInSignals { signalOwners[builtIn.name] = "(built-in)" }
        for parsed in packs {
            for signal in parsed.pack.signals {
                if let target = signal.cancels?.target, signalOwners[target] == nil, SignalKind(rawValue: target) == nil,
                   let at = parsed.signalKeys[signal.name] {
                    diagnostics.append(at.diagnostic("qualifier '\(signal.name)' cancels unknown signal or kind '\(target)'"))
                }
            }
        }
        // A candidate's race context names signals (not kinds): each must exist. An unknown name
        // is reported once per pack, at its first signal, with how many more use it (a generated
        // pack loaded without the pack of its parties names one party in a thousand signals).
        var suggestions: [String: String?] = [:]
        for parsed in packs {
            var unknown: [String: (first: String, others: Int)] = [:]
            var order: [String] = []
            for signal in parsed.pack.signals where !signal.context.isEmpty || signal.numberContext != nil || !signal.includes.isEmpty {
                let names = signal.context + (signal.numberContext ?? []).flatMap { $0 } + signal.includes
                var seen = Set<String>()
                for name in names where signalOwners[name] == nil && seen.insert(name).inserted {
                    if let known = unknown[name] {
                        unknown[name] = (known.first, known.others + 1)
                    } else {
                        unknown[name] = (signal.name, 0)
                        order.append(name)
                    }
                }
            }
            for name in order {
                guard let (first, others) = unknown[name], let at = parsed.signalKeys[first] else { continue }
                var message = "signal '\(first)' names unknown signal '\(name)' in its context"
                if others > 0 { message += " (as do \(others) more signals of this pack)" }
                if suggestions[name] == nil { suggestions[name] = closestMatch(to: name, in: Array(signalOwners.keys)) }
                if let suggestion = suggestions[name] ?? nil { message += "; did you mean '\(suggestion)'?" }
                diagnostics.append(at.diagnostic(message))
            }
        }
        for parsed in packs {
            for signal in parsed.pack.signals {
                if let target = signal.identifies?.target, signalOwners[target] == nil, SignalKind(rawValue: target) == nil,
                   let at = parsed.signalKeys[signal.name] {
                    diagnostics.append(at.diagnostic("speaker marker '\(signal.name)' identifies unknown signal or kind '\(target)'"))
                }
            }
        }
        // A violation is the author's own act: identity must describe the author. Every
        // identity name in a violation rule's `when` is scoped `[self]`; the built-in subject
        // detectors describe the author by definition.
        var identitySignals = Set(Detectors.builtInSignals.filter { $0.kind == .asn }.map(\.name))
        for parsed in packs { for signal in parsed.pack.signals where signal.kind == .asn { identitySignals.insert(signal.name) } }
        let authorDetectors: Set<String> = [
            Detectors.subjectSignal, Detectors.subjectSharedSignal, Detectors.accountIdentitySignal, Detectors.officeAccountSignal,
        ]
        for parsed in packs {
            for (rule, uses) in parsed.violationIdentityUses {
                for use in uses where !use.scopedToSelf && !authorDetectors.contains(use.name)
                    && (use.name == SignalKind.asn.rawValue || identitySignals.contains(use.name)) {
                    let through = use.definition.map { " (through definition '\($0)')" } ?? ""
                    diagnostics.append(use.value.diagnostic(
                        "rule '\(rule)' is a violation but uses identity '\(use.name)'\(through) without [self]: write '\(use.name)[self]' so only identity that describes the author counts, or give the rule 'class: report'",
                        atOffset: use.offset))
                }
            }
        }
        let known = Array(signalOwners.keys) + SignalKind.allCases.map(\.rawValue)
        for parsed in packs {
            for use in parsed.nameUses where signalOwners[use.name] == nil && SignalKind(rawValue: use.name) == nil {
                var message = "unknown signal '\(use.name)' (not a signal of any loaded pack, nor a kind)"
                if let suggestion = closestMatch(to: use.name, in: known) { message += "; did you mean '\(suggestion)'?" }
                diagnostics.append(use.value.diagnostic(message, atOffset: use.offset))
            }
            for (id, at) in parsed.expectedRules where ruleOwners[id] == nil {
                diagnostics.append(at.diagnostic("example expects unknown rule '\(id)'"))
            }
        }
    }
}

// MARK: - Legislators: candidates one per line

extension PackLoader {
    /// `legislators:`, the compact form of a list election's candidates (thousands of them),
    /// one line each, fields separated by `|`:
    ///
    ///     legislators:
    ///       body: lembaga-dpr      # the body's words: a name counts beside them or the party
    ///       rows:
    ///         # signal | ballot number | party signal or ~ | district signal | label | name form | ...
    ///         - "dpr-3401-03-05 | 5 | partai-pdip | dapil-dpr-3401 | Budi Santoso (PDI-P, DIY, 5) | budi santoso"
    ///
    /// Each row is a candidate signal whose terms all need context: `context: [party, body]`
    /// and `number_context: [[party], [district]]` (without a party, `[[body], [district]]`).
    /// One string a row keeps a pack of ten thousand candidates quick to read.
    static func parseLegislators(_ value: YAMLValue, into diagnostics: inout DiagnosticList) -> [(Signal, YAMLValue)] {
        guard let table = value.mapping("legislators", into: &diagnostics) else { return [] }
        table.checkKeys(allowed: ["body", "rows"], required: ["body", "rows"], in: "legislators", into: &diagnostics)
        guard let body = table["body"]?.string("legislators.body", into: &diagnostics),
              let rows = table["rows"]?.sequence("legislators.rows", into: &diagnostics) else { return [] }
        var signals: [(Signal, YAMLValue)] = []
        signals.reserveCapacity(rows.count)
        for row in rows {
            guard let text = row.string("a legislator row", into: &diagnostics) else { continue }
            // Fields with their offsets in the row, for errors at the field: split on the UTF-8
            // bytes ('|' and spaces are ASCII), ten thousand rows a pack.
            var fields: [(text: String, offset: Int)] = []
            let bytes = Array(text.utf8)
            let ascii = !bytes.contains { $0 >= 0x80 }
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x7C { end += 1 }
                var low = start, high = end
                while low < high && bytes[low] == 0x20 { low += 1 }
                while high > low && bytes[high - 1] == 0x20 { high -= 1 }
                // Offsets count Unicode scalars, as diagnostics do (rows are ASCII but for names).
                let offset = ascii ? low : bytes[0..<low].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                fields.append((String(decoding: bytes[low..<high], as: UTF8.self), offset))
                start = end + 1
            }
            func error(_ field: Int, _ message: String) {
                diagnostics.append(row.diagnostic(message, atOffset: fields[min(field, fields.count - 1)].offset))
            }
            guard fields.count >= 6 else {
                error(0, "a legislator row is 'signal | ballot number | party signal or ~ | district signal | label | name form | ...'; found \(fields.count) field(s)")
                continue
            }
            let name = fields[0].text
            guard checkSignalName(name, at: row, into: &diagnostics) else { continue }
            guard let number = Int(fields[1].text), number >= 1 else {
                error(1, "'\(fields[1].text)' is not a ballot number (1 or more)")
                continue
            }
            let party = fields[2].text == "~" ? nil : fields[2].text
            let district = fields[3].text, label = fields[4].text
            if [party ?? "~", district].contains(where: { $0.isEmpty }) || label.isEmpty {
                error(fields[2].text.isEmpty ? 2 : fields[3].text.isEmpty ? 3 : 4, "a legislator row needs a party signal (or ~), a district signal and a label")
                continue
            }
            var terms: [Term] = []
            for field in 5..<fields.count {
                let term = fields[field].text
                guard !term.isEmpty, term.utf8.contains(where: { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || (0x30...0x39).contains($0) })
                    || !Tokenizer.tokens(of: term).isEmpty else {
                    error(field, term.isEmpty ? "empty name form" : "name form '\(term)' has no letters, digits or emoji, so it can never match")
                    continue
                }
                terms.append(Term(text: term, needsContext: true))
            }
            guard !terms.isEmpty else { continue }
            let signal = Signal(
                name: name, kind: .candidate, label: label, number: number, terms: terms,
                context: (party.map { [$0] } ?? []) + [body],
                numberContext: [[party ?? body], [district]]
            )
            signals.append((signal, row))
        }
        return signals
    }
}
