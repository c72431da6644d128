import Foundation
import Hummingbird
public import NetralEvidence
public import NetralModel
public import NetralStore

/// The queue's filter and page as they travel in a URL (`/?status=new&tingkat=high&halaman=2`),
/// so a filtered queue can be bookmarked and a case page knows its place in the queue.
public struct QueueQuery: Sendable, Equatable {
    /// `new`, `confirmed`, `dismissed`, or nil for every status.
    public var status: ReviewStatus?
    public var severity: Severity?
    public var act: String?
    public var candidate: String?
    public var target: String?
    /// Days in WIB (`2024-01-31`), inclusive.
    public var since: String?
    public var until: String?
    /// From 1.
    public var page: Int
    /// Newest first (the default) or the nearest reporting deadline first.
    public var order: CaseFileOrder = .newestFirst

    /// The queue a reviewer starts from: what nobody has decided yet.
    public static let start = QueueQuery(status: .new)

    public init(status: ReviewStatus? = nil, severity: Severity? = nil, act: String? = nil, candidate: String? = nil, target: String? = nil,
                since: String? = nil, until: String? = nil, page: Int = 1) {
        self.status = status
        self.severity = severity
        self.act = act
        self.candidate = candidate
        self.target = target
        self.since = since
        self.until = until
        self.page = page
    }

    /// Days are read in WIB, the zone most reviewers count in; the page says so.
    static let zone = TimeZone(secondsFromGMT: 7 * 3600)!

    /// Reads a query string (`status=new&tingkat=high`) as the desk's pages do.
    public init(query: String) {
        self.init(fields: (try? URLEncodedFormDecoder().decode(QueueFields.self, from: query)) ?? QueueFields())
    }

    /// Reads the fields; anything unknown or malformed is dropped rather than guessed (a wrong
    /// date leaves that bound out, and the form shows it empty), and an unknown status is the
    /// starting queue.
    init(fields: QueueFields) {
        func value(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return String(text.prefix(200))
        }
        switch value(fields.status) {
        case nil: status = .new
        case "semua": status = nil
        case let text?: status = ReviewStatus(rawValue: text) ?? .new
        }
        severity = value(fields.tingkat).flatMap(Severity.init(rawValue:))
        act = value(fields.tindakan).flatMap { $0.range(of: #"^A[0-9]{1,2}$"#, options: .regularExpression) != nil ? $0 : nil }
        candidate = value(fields.calon)
        target = value(fields.target)
        since = value(fields.sejak).flatMap { Self.day($0) != nil ? $0 : nil }
        until = value(fields.sampai).flatMap { Self.day($0) != nil ? $0 : nil }
        page = value(fields.halaman).flatMap(Int.init).map { max(1, min($0, 1_000_000)) } ?? 1
        order = value(fields.urut) == Self.deadlineOrder ? .deadlineFirst : .newestFirst
    }

    /// The URL's word for the deadline order (`urut=tenggat`).
    static let deadlineOrder = "tenggat"

    /// The store's filter for this query.
    public var filter: CaseFileFilter {
        var filter = CaseFileFilter()
        if let status { filter.statuses = [status] }
        if let severity { filter.severities = [severity] }
        if let act { filter.acts = [act] }
        filter.candidate = candidate
        filter.target = target
        filter.since = since.flatMap(Self.day)
        // `until` is inclusive: everything before the start of the next day.
        filter.until = until.flatMap(Self.day).map { $0.addingTimeInterval(86_400) }
        filter.order = order
        return filter
    }

    /// The filter as the queue's form shows it (values already checked).
    var fields: QueueFields {
        QueueFields(status: status?.rawValue ?? "semua", tingkat: severity?.rawValue, tindakan: act, calon: candidate, target: target,
                    sejak: since, sampai: until, halaman: String(page), urut: order == .deadlineFirst ? Self.deadlineOrder : nil)
    }

    /// Name/value pairs of the filter (not the page), in a fixed order; nil values left out.
    public var filterFields: [(String, String)] {
        var fields: [(String, String)] = [("status", status?.rawValue ?? "semua")]
        if let severity { fields.append(("tingkat", severity.rawValue)) }
        if let act { fields.append(("tindakan", act)) }
        if let candidate { fields.append(("calon", candidate)) }
        if let target { fields.append(("target", target)) }
        if let since { fields.append(("sejak", since)) }
        if let until { fields.append(("sampai", until)) }
        if order == .deadlineFirst { fields.append(("urut", Self.deadlineOrder)) }
        return fields
    }

    /// `status=new&tingkat=high...`, percent-encoded, with extra pairs appended.
    public func queryString(page: Int? = nil, extra: [(String, String)] = []) -> String {
        var pairs = filterFields
        if let page, page > 1 { pairs.append(("halaman", String(page))) }
        pairs += extra
        return pairs.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    /// Unreserved characters (RFC 3986) stay; everything else is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func day(_ text: String) -> Date? {
        IndonesianZone.wib.startOfDay(text)
    }
}
