import Foundation

/// How serious a finding is; ordered from least to most serious.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case low
    case medium
    case high

    /// Reviewer-facing label, in Bahasa Indonesia.
    public var label: String {
        switch self {
        case .low: "rendah"
        case .medium: "sedang"
        case .high: "tinggi"
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A rule pack as it was loaded: enough to say exactly which rules judged an item.
public struct PackReference: Sendable, Codable, Equatable, Hashable {
    public var name: String
    public var version: String
    /// SHA-256 of the pack file's bytes, lowercase hex.
    public var sha256: String

    public init(name: String, version: String, sha256: String) {
        self.name = name
        self.version = version
        self.sha256 = sha256
    }
}

/// One place where a term of a signal matched an item.
public struct Hit: Sendable, Codable, Equatable, Hashable {
    /// The signal the term belongs to.
    public var signal: String
    /// The signal's kind (`candidate`, `asn`, `support`, ...).
    public var kind: String
    /// The term as written in the pack.
    public var term: String
    public var field: ItemField
    /// Which element of a list field (image alts, links); 0 otherwise.
    public var fieldIndex: Int
    /// Start of the match in the field's text, in UTF-8 bytes.
    public var start: Int
    /// End (exclusive) of the match in the field's text, in UTF-8 bytes.
    public var end: Int
    /// The matched text exactly as published.
    public var quote: String

    public init(
        signal: String, kind: String, term: String, field: ItemField, fieldIndex: Int,
        start: Int, end: Int, quote: String
    ) {
        self.signal = signal
        self.kind = kind
        self.term = term
        self.field = field
        self.fieldIndex = fieldIndex
        self.start = start
        self.end = end
        self.quote = quote
    }
}

/// Whose act a finding is about.
public enum FindingClass: String, Sendable, Codable, CaseIterable {
    /// The author's own act: the identity evidence describes the author (their own fields, the
    /// analyst's subject, or a first-person self-identification in the text).
    case violation
    /// The item reports or alleges that someone else (an ASN, a village official, an agency)
    /// campaigns: a lead for media monitoring, never a finding against the author.
    case report

    /// Reviewer-facing label, in Bahasa Indonesia.
    public var label: String {
        switch self {
        case .violation: "pelanggaran"
        case .report: "laporan pihak lain"
        }
    }
}

/// A rule that fired on an item, with everything needed to explain why.
public struct Finding: Sendable, Codable, Equatable {
    /// Derived from the item's identity, its content and the rule, so a re-scan finds the same id.
    public var id: String
    public var rule: String
    /// Whether this is the author's own act or a report about someone else.
    public var findingClass: FindingClass
    public var pack: PackReference
    /// The prohibited act of SKB 2/2022 (`A2`, `A6`, ...).
    public var act: String
    public var severity: Severity
    /// 0...1; higher is more certain. See `Rules/README.md` for how it is computed.
    public var score: Double
    public var description: String
    /// Every hit of every signal the condition used.
    public var hits: [Hit]
    /// The parts of the `when` condition that held, e.g. `["asn", "candidate", "support"]`.
    public var fired: [String]
    /// The condition as written in the pack.
    public var condition: String
    /// The `unless` condition, if any (it did not hold, or the rule would not have fired).
    public var unless: String?
    /// Why the score is below the severity's base, if it is.
    public var scoreNotes: [String]
    /// Hits the condition used beyond those kept in `hits` (a finding keeps at most
    /// `Finding.maximumHits`; a page that repeats a phrase thousands of times is not stored whole).
    public var omittedHits: Int

    /// The most hits a finding keeps.
    public static let maximumHits = 100

    enum CodingKeys: String, CodingKey {
        case id, rule, findingClass = "class", pack, act, severity, score, description, hits, fired, condition, unless
        case scoreNotes, omittedHits
    }

    public init(
        id: String, rule: String, pack: PackReference, act: String, severity: Severity, score: Double,
        description: String, hits: [Hit], fired: [String], condition: String, unless: String?,
        scoreNotes: [String] = [], findingClass: FindingClass = .violation, omittedHits: Int = 0
    ) {
        self.id = id
        self.rule = rule
        self.findingClass = findingClass
        self.omittedHits = omittedHits
        self.pack = pack
        self.act = act
        self.severity = severity
        self.score = score
        self.description = description
        self.hits = hits
        self.fired = fired
        self.condition = condition
        self.unless = unless
        self.scoreNotes = scoreNotes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        rule = try container.decode(String.self, forKey: .rule)
        // Findings written before classes existed were all judged as the author's own acts.
        findingClass = try container.decodeIfPresent(FindingClass.self, forKey: .findingClass) ?? .violation
        pack = try container.decode(PackReference.self, forKey: .pack)
        act = try container.decode(String.self, forKey: .act)
        severity = try container.decode(Severity.self, forKey: .severity)
        score = try container.decode(Double.self, forKey: .score)
        description = try container.decode(String.self, forKey: .description)
        hits = try container.decode([Hit].self, forKey: .hits)
        fired = try container.decode([String].self, forKey: .fired)
        condition = try container.decode(String.self, forKey: .condition)
        unless = try container.decodeIfPresent(String.self, forKey: .unless)
        scoreNotes = try container.decodeIfPresent([String].self, forKey: .scoreNotes) ?? []
        omittedHits = try container.decodeIfPresent(Int.self, forKey: .omittedHits) ?? 0
    }
}
