import Foundation
import NetralYAML

/// What people add to the KPU lists for `netral rules generate`: the words to read names and
/// regions by, the ballot-number phrases, each election's window, and per race the nicknames
/// and signal names analysts already use. Every `*.yaml` file of the overlay folder is read;
/// each top-level key may appear in one file only. See Rules/pemilu-2024/README.md.
struct GeneratorOverlay {
    struct TermSpec: Sendable, Equatable {
        var text: String
        var exactCase = false
        var needsContext = false
        var verbAffixes = false
    }

    struct Election: Sendable {
        var title: String
        var version: String
        /// `YYYY-MM-DD`, checked.
        var from: String
        var to: String
    }

    struct Race: Sendable {
        var signal: String?
        var terms: [TermSpec] = []
    }

    struct ExtraSignal: Sendable {
        var name: String
        var kind: String
        var label: String?
        var terms: [TermSpec]
    }

    struct Example: Sendable {
        var text: String
        var author: String?
        var bio: String?
        var published: String?
        var expect: [String]
        var note: String?
        var trap: String?
    }

    struct Roles: Sendable {
        var head: [String] = []
        var deputy: [String] = []
    }

    struct Ballot: Sendable {
        var words: [Int: [String]] = [:]
        var phrases: [String] = []
        var teams: [String] = []
        var roles: [String] = []
        var verbs: [String] = []
        var digitVerbs: [String] = []
        var largeNumberRoles: [String] = []
    }

    var names = NameVocabulary()
    var regionOrdinaryWords: Set<String> = []
    var regionPrefixes: [KPUInput.Level: [String]] = [:]
    var regionAliases: [String: (name: String, terms: [String])] = [:]
    var roles: [String: Roles] = [:]
    var ballot = Ballot()
    var bodies: [String: (label: String, terms: [String])] = [:]
    var pilkadaFolder = "pilkada2024"
    var legislativeFolder = "dct2024"
    var elections: [String: Election] = [:]
    var parties: [Int: (signal: String, name: String)] = [:]
    var races: [String: [Int: Race]] = [:]
    var packSignals: [String: [ExtraSignal]] = [:]
    var packExamples: [String: [Example]] = [:]
    /// Where each race entry was written, to report entries that match no race.
    var racePositions: [String: YAMLValue] = [:]

    static let topKeys = ["format", "names", "regions", "roles", "ballot", "bodies", "sources", "elections", "parties", "races", "packs"]

    /// Reads every `*.yaml` file in `directory`.
    static func read(directory: String) throws(DiagnosticsError) -> GeneratorOverlay {
        let files = try YAMLDocument.files(in: [directory], requireFiles: true, what: "overlay files")
        var overlay = GeneratorOverlay()
        var diagnostics = DiagnosticList()
        var owners: [String: String] = [:]
        for file in files {
            do {
                let (root, _) = try YAMLDocument.load(path: file)
                guard let mapping = root.mapping("an overlay file", into: &diagnostics) else { continue }
                mapping.checkKeys(allowed: topKeys, required: ["format"], in: "the overlay", into: &diagnostics)
                if let format = mapping["format"], let value = format.integer("format", into: &diagnostics), value != 1 {
                    diagnostics.append(format.diagnostic("unsupported overlay format \(value); this Netral reads format 1"))
                }
                for entry in mapping.entries where entry.key != "format" && topKeys.contains(entry.key) {
                    if let owner = owners[entry.key] {
                        diagnostics.append(entry.keyValue.diagnostic("'\(entry.key)' is already given in \(owner)"))
                        continue
                    }
                    owners[entry.key] = file
                    overlay.read(entry.key, entry.value, into: &diagnostics)
                }
            } catch {
                for diagnostic in error.diagnostics { diagnostics.append(diagnostic) }
            }
        }
        for key in ["names", "regions", "roles", "ballot", "bodies", "elections", "parties"] where owners[key] == nil {
            diagnostics.append(Diagnostic(file: directory, line: 1, column: 1, message: "the overlay gives no '\(key)'"))
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics.sorted) }
        return overlay
    }

    private mutating func read(_ key: String, _ value: YAMLValue, into diagnostics: inout DiagnosticList) {
        guard let mapping = value.mapping(key, into: &diagnostics) else { return }
        switch key {
        case "names":
            mapping.checkKeys(allowed: ["common_threshold", "honorifics", "degrees", "prefixes", "ordinary_words", "famous"],
                              required: ["common_threshold"], in: "names", into: &diagnostics)
            if let threshold = mapping["common_threshold"]?.integer("common_threshold", into: &diagnostics) {
                if threshold >= 2 { names.commonThreshold = threshold } else {
                    diagnostics.append(mapping["common_threshold"]!.diagnostic("common_threshold must be 2 or more"))
                }
            }
            names.honorifics = Set(words(mapping["honorifics"], "honorifics", &diagnostics).map(NameReader.key))
            names.degrees = Set(words(mapping["degrees"], "degrees", &diagnostics).map(NameReader.key))
            names.prefixes = Set(words(mapping["prefixes"], "prefixes", &diagnostics).map(NameReader.key))
            names.ordinaryWords = Set(words(mapping["ordinary_words"], "ordinary_words", &diagnostics).map(NameReader.key))
            names.famous = Set(words(mapping["famous"], "famous", &diagnostics).map { NameForms.text(Self.normalized($0)) })
        case "regions":
            mapping.checkKeys(allowed: ["ordinary_words", "prefixes", "aliases"], required: ["prefixes"], in: "regions", into: &diagnostics)
            regionOrdinaryWords = Set(words(mapping["ordinary_words"], "ordinary_words", &diagnostics))
            if let prefixes = mapping["prefixes"]?.mapping("regions.prefixes", into: &diagnostics) {
                prefixes.checkKeys(allowed: ["province", "regency", "city"], required: ["province", "regency", "city"], in: "regions.prefixes", into: &diagnostics)
                for (name, level) in [("province", KPUInput.Level.province), ("regency", .regency), ("city", .city)] {
                    regionPrefixes[level] = words(prefixes[name], "regions.prefixes.\(name)", &diagnostics)
                }
            }
            if let aliases = mapping["aliases"]?.mapping("regions.aliases", into: &diagnostics) {
                for entry in aliases.entries {
                    guard let alias = entry.value.mapping("alias \(entry.key)", into: &diagnostics) else { continue }
                    alias.checkKeys(allowed: ["name", "terms"], required: ["name", "terms"], in: "alias \(entry.key)", into: &diagnostics)
                    guard let name = alias["name"]?.string("name", into: &diagnostics) else { continue }
                    regionAliases[entry.key] = (name.lowercased(), words(alias["terms"], "terms", &diagnostics))
                    racePositions["alias:" + entry.key] = entry.keyValue
                }
            }
        case "roles":
            for entry in mapping.entries {
                guard let role = entry.value.mapping("roles.\(entry.key)", into: &diagnostics) else { continue }
                role.checkKeys(allowed: ["head", "deputy"], required: ["head", "deputy"], in: "roles.\(entry.key)", into: &diagnostics)
                roles[entry.key] = Roles(head: words(role["head"], "head", &diagnostics), deputy: words(role["deputy"], "deputy", &diagnostics))
            }
            for required in ["governor", "regent", "mayor"] where roles[required] == nil {
                diagnostics.append(value.diagnostic("roles needs '\(required)'"))
            }
        case "ballot":
            mapping.checkKeys(allowed: ["words", "phrases", "teams", "roles", "verbs", "digit_verbs", "large_number_roles"],
                              required: ["words", "phrases", "verbs"], in: "ballot", into: &diagnostics)
            if let numbers = mapping["words"]?.mapping("ballot.words", into: &diagnostics) {
                for entry in numbers.entries {
                    guard let number = Int(entry.key), number >= 1 else {
                        diagnostics.append(entry.keyValue.diagnostic("ballot.words is keyed by ballot number (1 or more), found '\(entry.key)'"))
                        continue
                    }
                    ballot.words[number] = words(entry.value, "ballot.words.\(number)", &diagnostics)
                }
            }
            ballot.phrases = words(mapping["phrases"], "phrases", &diagnostics)
            ballot.teams = words(mapping["teams"], "teams", &diagnostics)
            ballot.roles = words(mapping["roles"], "roles", &diagnostics)
            ballot.verbs = words(mapping["verbs"], "verbs", &diagnostics)
            ballot.digitVerbs = words(mapping["digit_verbs"], "digit_verbs", &diagnostics)
            ballot.largeNumberRoles = words(mapping["large_number_roles"], "large_number_roles", &diagnostics)
        case "bodies":
            for entry in mapping.entries {
                guard let body = entry.value.mapping("bodies.\(entry.key)", into: &diagnostics) else { continue }
                body.checkKeys(allowed: ["label", "terms"], required: ["label", "terms"], in: "bodies.\(entry.key)", into: &diagnostics)
                bodies[entry.key] = (body["label"]?.string("label", into: &diagnostics) ?? entry.key, words(body["terms"], "terms", &diagnostics))
            }
            for required in ["dpr", "dpd"] where bodies[required] == nil { diagnostics.append(value.diagnostic("bodies needs '\(required)'")) }
        case "sources":
            mapping.checkKeys(allowed: ["pilkada", "legislative"], required: ["pilkada", "legislative"], in: "sources", into: &diagnostics)
            pilkadaFolder = mapping["pilkada"]?.string("sources.pilkada", into: &diagnostics) ?? pilkadaFolder
            legislativeFolder = mapping["legislative"]?.string("sources.legislative", into: &diagnostics) ?? legislativeFolder
        case "elections":
            for entry in mapping.entries {
                guard let election = entry.value.mapping("elections.\(entry.key)", into: &diagnostics) else { continue }
                election.checkKeys(allowed: ["title", "version", "window"], required: ["title", "version", "window"], in: "elections.\(entry.key)", into: &diagnostics)
                guard let title = election["title"]?.string("title", into: &diagnostics),
                      let version = election["version"]?.string("version", into: &diagnostics, allowPlainNumbers: true),
                      let window = election["window"]?.mapping("window", into: &diagnostics) else { continue }
                window.checkKeys(allowed: ["from", "to"], required: ["from", "to"], in: "window", into: &diagnostics)
                guard let from = window["from"], let to = window["to"], let start = from.date("window.from", into: &diagnostics),
                      let end = to.date("window.to", into: &diagnostics), let fromText = from.scalarText, let toText = to.scalarText else { continue }
                if end < start { diagnostics.append(election["window"]!.diagnostic("window ends (to) before it starts (from)")) }
                elections[entry.key] = Election(title: title, version: version, from: fromText, to: toText)
            }
            for required in ["pilkada", "dpr", "dpd"] where elections[required] == nil {
                diagnostics.append(value.diagnostic("elections needs '\(required)'"))
            }
        case "parties":
            for entry in mapping.entries {
                guard let number = Int(entry.key), let party = entry.value.mapping("party \(entry.key)", into: &diagnostics) else {
                    diagnostics.append(entry.keyValue.diagnostic("parties is keyed by the party's ballot number, found '\(entry.key)'"))
                    continue
                }
                party.checkKeys(allowed: ["signal", "name"], required: ["signal", "name"], in: "party \(number)", into: &diagnostics)
                if let signal = party["signal"]?.string("signal", into: &diagnostics), let name = party["name"]?.string("name", into: &diagnostics) {
                    parties[number] = (signal, name)
                }
            }
        case "races":
            for entry in mapping.entries {
                guard entry.key.count == 2 || entry.key.count == 4, entry.key.allSatisfy(\.isNumber),
                      let numbers = entry.value.mapping("race \(entry.key)", into: &diagnostics) else {
                    diagnostics.append(entry.keyValue.diagnostic("races is keyed by the region code of the race (2 or 4 digits), found '\(entry.key)'"))
                    continue
                }
                for pairEntry in numbers.entries {
                    guard let number = Int(pairEntry.key), number >= 1, let pair = pairEntry.value.mapping("pair \(pairEntry.key)", into: &diagnostics) else {
                        diagnostics.append(pairEntry.keyValue.diagnostic("a race is keyed by ballot number, found '\(pairEntry.key)'"))
                        continue
                    }
                    pair.checkKeys(allowed: ["signal", "terms"], in: "race \(entry.key) pair \(number)", into: &diagnostics)
                    var race = Race()
                    race.signal = pair["signal"]?.string("signal", into: &diagnostics)
                    if let terms = pair["terms"] { race.terms = termSpecs(terms, &diagnostics) }
                    races[entry.key, default: [:]][number] = race
                    racePositions["\(entry.key)/\(number)"] = pairEntry.keyValue
                }
            }
        case "packs":
            for entry in mapping.entries {
                guard let pack = entry.value.mapping("pack \(entry.key)", into: &diagnostics) else { continue }
                pack.checkKeys(allowed: ["signals", "examples"], in: "pack \(entry.key)", into: &diagnostics)
                racePositions["pack:" + entry.key] = entry.keyValue
                if let signals = pack["signals"]?.mapping("signals", into: &diagnostics) {
                    for signalEntry in signals.entries {
                        guard let signal = signalEntry.value.mapping("signal \(signalEntry.key)", into: &diagnostics) else { continue }
                        signal.checkKeys(allowed: ["kind", "label", "terms"], required: ["kind", "terms"], in: "signal \(signalEntry.key)", into: &diagnostics)
                        guard let kind = signal["kind"]?.string("kind", into: &diagnostics), let terms = signal["terms"] else { continue }
                        packSignals[entry.key, default: []].append(ExtraSignal(
                            name: signalEntry.key, kind: kind, label: signal["label"]?.string("label", into: &diagnostics), terms: termSpecs(terms, &diagnostics)))
                    }
                }
                if let examples = pack["examples"]?.sequence("examples", into: &diagnostics) {
                    for exampleValue in examples {
                        guard let example = exampleValue.mapping("an example", into: &diagnostics) else { continue }
                        example.checkKeys(allowed: ["text", "author", "bio", "published", "expect", "note", "trap"], required: ["text", "expect"],
                                          in: "an example", into: &diagnostics)
                        guard let text = example["text"]?.string("text", into: &diagnostics) else { continue }
                        var published: String?
                        if let date = example["published"], date.date("published", into: &diagnostics) != nil { published = date.scalarText }
                        packExamples[entry.key, default: []].append(Example(
                            text: text, author: example["author"]?.string("author", into: &diagnostics),
                            bio: example["bio"]?.string("bio", into: &diagnostics), published: published,
                            expect: words(example["expect"], "expect", &diagnostics),
                            note: example["note"]?.string("note", into: &diagnostics), trap: example["trap"]?.string("trap", into: &diagnostics)))
                    }
                }
            }
        default:
            break
        }
    }

    /// A list of strings (lowercased for word lists is up to the caller).
    private func words(_ value: YAMLValue?, _ what: String, _ diagnostics: inout DiagnosticList) -> [String] {
        guard let value, let list = value.sequence(what, into: &diagnostics) else { return [] }
        return list.compactMap { $0.string("an entry of \(what)", into: &diagnostics, allowPlainNumbers: true) }
    }

    /// Terms as a pack writes them: a string, or `{term, case: exact, needs: context, affixes: verb}`.
    private func termSpecs(_ value: YAMLValue, _ diagnostics: inout DiagnosticList) -> [TermSpec] {
        guard let list = value.sequence("terms", into: &diagnostics) else { return [] }
        return list.compactMap { item in
            if item.isMapping {
                guard let mapping = item.mapping("a term", into: &diagnostics) else { return nil }
                mapping.checkKeys(allowed: ["term", "case", "needs", "affixes"], required: ["term"], in: "a term", into: &diagnostics)
                guard let text = mapping["term"]?.string("term", into: &diagnostics, allowPlainNumbers: true) else { return nil }
                var spec = TermSpec(text: text)
                if let mode = mapping["case"]?.string("case", into: &diagnostics) {
                    if mode == "exact" { spec.exactCase = true } else if mode != "fold" { diagnostics.append(mapping["case"]!.diagnostic("case must be 'exact' or 'fold'")) }
                }
                if let needs = mapping["needs"]?.string("needs", into: &diagnostics) {
                    if needs == "context" { spec.needsContext = true } else { diagnostics.append(mapping["needs"]!.diagnostic("needs must be 'context'")) }
                }
                if let affixes = mapping["affixes"]?.string("affixes", into: &diagnostics) {
                    if affixes == "verb" { spec.verbAffixes = true } else { diagnostics.append(mapping["affixes"]!.diagnostic("affixes must be 'verb'")) }
                }
                return spec
            }
            return item.string("a term", into: &diagnostics, allowPlainNumbers: true).map { TermSpec(text: $0) }
        }
    }

    /// Words as the matcher reads them (`Mas'ud` → `mas ud`).
    static func normalized(_ text: String) -> [String] { Tokenizer.tokens(of: text).map(\.normalized) }
}
