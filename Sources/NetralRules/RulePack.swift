public import Foundation
public import NetralModel

/// What a signal's terms say about an item.
public enum SignalKind: String, Sendable, Codable, CaseIterable {
    /// A candidate's name, nickname or hashtag.
    case candidate
    /// A party's name, abbreviation or symbol.
    case party
    /// A campaign slogan or jargon.
    case slogan
    /// A campaign gesture (salam dua jari, ✌️).
    case gesture
    /// A call to vote or support (coblos, dukung, pilih).
    case support
    /// Civil-servant identity (PNS, camat, NIP).
    case asn
    /// Neutrality education, socialisation or news, which suppresses or lowers a finding.
    case context
    /// Words that cancel another signal's hits right after them (`pensiunan` PNS, `mantan`
    /// honorer, `anak Pak` Kades): see `Signal.cancels`. A qualifier never satisfies a condition.
    case qualifier
    /// First-person markers (`saya`, `sy`, `kami`, `sebagai seorang`): an identity hit right
    /// after one describes the author (`saya PNS`), see `Signal.identifies`. Conditions may
    /// name a speaker signal (`pilihan hati` also says the author states their own choice).
    case speaker
    /// Words that say which race an item is about: a province, regency or city (`Sleman`, `Kota
    /// Yogya`), a body (`DPR RI`) and, with a `number`, a ballot number (`nomor urut 2`, `coblos
    /// 02`). A race hit counts for nothing alone; it scopes candidate signals' numbers and their
    /// terms that need context (see `Signal.context`, `RaceScope`).
    case race
    /// Words a first-person marker's reach passes over (`juga`, `jg`, `kan`, `yo`, `memang`):
    /// in `sy jg ASN` the identity still follows the marker. A filler never satisfies a
    /// condition and attributes nothing by itself.
    case filler
    /// A title followed by a capitalised personal name (`Pak Zainal`, `Bu Rina Wati`): someone
    /// named, whom no pack may know. A hit exists only when a name follows the term, and covers
    /// the name (up to three words). Not a candidate: rules decide when a person is one
    /// (`near(ajakan-memilih, person, 2)`: a call to vote for a named person).
    case person
}

/// What a speaker marker attributes to the author: hits of a kind (or one signal) that start
/// at most `after` words after the marker (`saya PNS`), or end at most `before` words before
/// it (`seragam PNS boleh khaki, pilihan hati ...`), in the same field.
public struct Attribution: Sendable, Equatable {
    /// A kind name or a signal name.
    public var target: String
    public var after: Int?
    public var before: Int?
}

/// What a qualifier cancels: hits of a kind (or of one signal) that start within `within`
/// words after the qualifier's hit, or overlap it, in the same field; with `before`, also hits
/// that end at most that many words before it (`PKS antara` Pemkab dan ...: an agreement).
public struct Cancellation: Sendable, Equatable {
    /// A kind name or a signal name.
    public var target: String
    public var within: Int
    public var before: Int? = nil
    /// The hits stay, as someone else's identity (`suami saya` PNS, `atasan saya` kepala dinas):
    /// never the author's, even in the author's own fields, but still identity a report can
    /// name. Without it the hits are cancelled (`pensiunan` PNS is no civil servant at all).
    public var someoneElse = false
}

/// A term as written in a pack, with its matching options.
public struct Term: Sendable, Equatable {
    public var text: String
    /// Match the case exactly as written (`AMIN` the ticket, never `amin` the prayer).
    public var exactCase: Bool
    /// Also match the Indonesian verb forms of this one-word root (see `Affixes`).
    public var verbAffixes: Bool
    /// Also match words one edit away (a one-word term of six letters or more).
    public var fuzzy: Bool
    /// Count only in an item that also names the signal's race (`needs: context`): a common
    /// name such as `budi santoso` is a candidate only beside its region, party or `caleg`.
    public var needsContext: Bool

    public init(text: String, exactCase: Bool = false, verbAffixes: Bool = false, fuzzy: Bool = false, needsContext: Bool = false) {
        self.text = text
        self.exactCase = exactCase
        self.verbAffixes = verbAffixes
        self.fuzzy = fuzzy
        self.needsContext = needsContext
    }
}

/// A named set of terms of one kind.
public struct Signal: Sendable, Equatable {
    public var name: String
    public var kind: SignalKind
    public var label: String?
    /// Ballot number: of a candidate or party; for a `race` signal, the number its terms name.
    /// A candidate's number counts as the candidate only inside its race (see `RaceScope`).
    public var number: Int?
    public var terms: [Term]
    /// How strongly a hit shows what the kind says, 0...1 (for `asn`: a known subject or a NIP
    /// is 1, a job title that also exists outside the civil service, such as `guru`, less).
    public var weight: Double = 1
    /// When set, the signal counts only for items published inside it (an item without a
    /// date does not count): `Presiden Prabowo` is official duty only after 20 Oct 2024.
    public var window: SignalWindow?
    /// For qualifiers: which hits they cancel.
    public var cancels: Cancellation?
    /// For speaker markers: which hits they attribute to the author.
    public var identifies: Attribution?
    /// For candidate signals: the signals that name this candidate's race (its region; for a
    /// legislative candidate also its party and words such as `caleg`). Terms that need context
    /// count only beside one of them.
    public var context: [String] = []
    /// For candidate signals with a `number`: groups of signals that must each have a hit (any
    /// signal of a group) for a ballot number to count as this candidate. Nil: `context` as one
    /// group; empty `context` too: a national race, whose number counts in items dated inside
    /// the pack's window.
    public var numberContext: [[String]]? = nil
    /// For race signals: the signals whose hits also count as this one's in a context (a
    /// province includes its regencies, an electoral district its regions).
    public var includes: [String] = []
}

/// A validity window of a signal; either end may be open.
public struct SignalWindow: Sendable, Equatable {
    public var from: Date?
    public var to: Date?

    public func contains(_ date: Date?) -> Bool {
        guard let date else { return false }
        if let from, date < from { return false }
        if let to, date >= to.addingTimeInterval(86_400) { return false }
        return true
    }
}

/// A named condition of a pack (`define:`), usable by name in that pack's rules.
public struct Definition: Sendable {
    public var name: String
    public var condition: Condition
    public var text: String
}

/// A rule: a condition over signals, what act it is, and how serious.
public struct Rule: Sendable {
    public var id: String
    /// `violation` (the author's own act) or `report` (an allegation about someone else).
    public var findingClass: FindingClass
    /// Prohibited act of SKB 2/2022 (`A2`, `A6`, ...).
    public var act: String
    public var severity: Severity
    public var description: String
    public var when: Condition
    public var whenText: String
    public var unless: Condition?
    public var unlessText: String?
}

/// A labelled example a pack carries, checked by the tests and `netral rules test`.
public struct PackExample: Sendable {
    public var id: String
    public var item: Item
    /// Rule ids expected to fire; empty means nothing must fire. With `expectIncludes`, only
    /// these must fire and others may too.
    public var expect: [String]
    /// Where the example is written, for failure messages.
    public var location: String
    public var note: String?
    /// The false-positive trap the example tests, if any.
    public var trap: String?
    /// `expect_includes:` the example lists findings that must be among those given (at
    /// least these), not all of them.
    public var expectIncludes = false
}

/// The validity window of a pack: the election period its terms belong to.
public struct PackWindow: Sendable, Equatable {
    public var from: Date
    public var to: Date

    public func contains(_ date: Date) -> Bool {
        // `to` is a calendar day: the whole day counts.
        date >= from && date < to.addingTimeInterval(86_400)
    }

    public var text: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return "\(formatter.string(from: from)) s.d. \(formatter.string(from: to))"
    }
}

/// One rule-pack file, loaded and checked.
public struct RulePack: Sendable {
    public var reference: PackReference
    public var path: String
    public var title: String?
    public var window: PackWindow?
    public var signals: [Signal]
    public var definitions: [Definition] = []
    public var rules: [Rule]
    public var examples: [PackExample]
}
