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
}

/// A term as written in a pack, with its matching options.
public struct Term: Sendable, Equatable {
    public var text: String
    /// Match the case exactly as written (`AMIN` the ticket, never `amin` the prayer).
    public var exactCase: Bool

    public init(text: String, exactCase: Bool = false) {
        self.text = text
        self.exactCase = exactCase
    }
}

/// A named set of terms of one kind.
public struct Signal: Sendable, Equatable {
    public var name: String
    public var kind: SignalKind
    public var label: String?
    /// Ballot number, for candidate and party signals.
    public var number: Int?
    public var terms: [Term]
}

/// A rule: a condition over signals, what act it is, and how serious.
public struct Rule: Sendable {
    public var id: String
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
    public var item: Item
    /// Rule ids expected to fire; empty means nothing must fire.
    public var expect: [String]
    /// Where the example is written, for failure messages.
    public var location: String
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
    public var rules: [Rule]
    public var examples: [PackExample]
}
