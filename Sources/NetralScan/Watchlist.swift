import CSV
import Foundation
public import NetralModel
import NetralRules

/// A watchlist an agency exported: one row per person, `name,nip,role,agency,region,accounts`
/// (accounts separated by spaces: Mastodon `@user@host`, Bluesky handles, page or feed URLs),
/// turned into targets that carry the person as their `subject`. Every bad row is reported as
/// `FILE:line: message` (`FILE:line:column:` for a character no field may hold); when any row
/// is bad, nothing is produced.
public struct Watchlist: Sendable {
    public static let columns = ["name", "nip", "role", "agency", "region", "accounts"]
    /// The same columns as an Indonesian header names them (`nama,nip,jabatan,instansi,wilayah,akun`).
    public static let indonesianColumns = [
        "nama": "name", "jabatan": "role", "instansi": "agency", "wilayah": "region", "akun": "accounts",
    ]
    /// Larger files are refused before reading: a watchlist is a list of people, not a dump.
    public static let maxFileBytes = 32 * 1024 * 1024

    /// One problem of one line of the file.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        /// The character's column (from 1), for a problem at one character.
        public var column: Int? = nil
        public var message: String
        public var description: String { "\(file):\(line)\(column.map { ":\($0)" } ?? ""): \(message)" }
    }

    /// Every problem of a watchlist that cannot be imported.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// One person of the list and the targets made for them.
    public struct Person: Sendable, Equatable {
        public var line: Int
        public var subject: Subject
        public var region: String?
        public var targets: [Target]
    }

    public var people: [Person]
    public var targets: [Target] { people.flatMap(\.targets) }

    /// Reads a watchlist file. Target ids are made from each person's name and the account's
    /// kind, never one of `takenIDs` (the configuration's own).
    public static func read(path: String, takenIDs: Set<String> = []) throws(Problems) -> Watchlist {
        func fail(_ line: Int, _ message: String) -> Problems { Problems(problems: [Problem(file: path, line: line, message: message)]) }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxFileBytes else { throw fail(1, "the file is \(size) bytes; a watchlist may hold at most \(maxFileBytes)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail(1, "cannot read the file") }
        guard var text = String(data: data, encoding: .utf8) else {
            throw fail(1, "the file is not UTF-8 text (save the spreadsheet as \"CSV UTF-8\")")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text, file: path, takenIDs: takenIDs)
    }

    /// Reads watchlist text; `file` names it in problems.
    public static func parse(_ text: String, file: String, takenIDs: Set<String> = []) throws(Problems) -> Watchlist {
        let controls = controlCharacters(in: text, file: file)
        guard controls.isEmpty else { throw Problems(problems: controls) }
        var problems: [Problem] = []
        func problem(_ line: Int, _ message: String) { problems.append(Problem(file: file, line: line, message: message)) }
        // Spreadsheets set to Indonesian write `;` between fields.
        let headerLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let delimiter: UnicodeScalar = headerLine.contains(";") && !headerLine.contains(",") ? ";" : ","
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, delimiter: delimiter)
        } catch {
            throw Problems(problems: [
                Problem(file: file, line: 1, message: "no header row; the first line must be \(columns.joined(separator: ","))")
            ])
        }
        // Agencies' spreadsheets name the columns in Bahasa Indonesia as often as in English.
        let header = (reader.headerRow ?? []).map { name in
            let lowered = name.trimmingCharacters(in: .whitespaces).lowercased()
            return Self.indonesianColumns[lowered] ?? lowered
        }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where !name.isEmpty { index[name] = index[name] ?? position }
        let missing = columns.filter { index[$0] == nil }
        let unknown = header.filter { !$0.isEmpty && !columns.contains($0) }
        if !missing.isEmpty || !unknown.isEmpty {
            var message = "the header must name the columns \(columns.joined(separator: ","))"
            if !missing.isEmpty { message += "; missing: \(missing.joined(separator: ", "))" }
            if !unknown.isEmpty { message += "; unknown: \(unknown.joined(separator: ", "))" }
            throw Problems(problems: [Problem(file: file, line: 1, message: message)])
        }
        // A quoted field may hold line breaks: each row's line is counted from the text read.
        var line = 1 + (reader.headerRow ?? []).reduce(0) { $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 } } + 1
        var taken = takenIDs
        var people: [Person] = []
        while let row = reader.next() {
            let rowLine = line
            line += 1 + row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 } }
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { continue }
            guard row.count == header.count else {
                problem(rowLine, "the row has \(row.count) fields, the header \(header.count) (a comma inside a field needs \"quotes\")")
                continue
            }
            func field(_ name: String) -> String? {
                let value = row[index[name]!].trimmingCharacters(in: .whitespacesAndNewlines)
                return value.isEmpty ? nil : value
            }
            guard let name = field("name") else {
                problem(rowLine, "name is empty")
                continue
            }
            var rowProblems: [String] = []
            // Digits of any script (full-width from a phone's keyboard) are read as ASCII digits.
            let nip = field("nip").map(NIPMasking.asciiDigits)
            if let nip, let reason = NIPCheck.problem(in: nip) {
                rowProblems.append("nip \(NIPMasking.mask(nip)): \(reason)")
            }
            var accounts: [(Target.Kind, String)] = []
            let listed = (field("accounts") ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            if listed.isEmpty { rowProblems.append("accounts is empty: list the person's accounts or pages, separated by spaces") }
            for account in listed {
                switch classify(account) {
                case .success(let kind): accounts.append((kind, account))
                case .failure(let reason): rowProblems.append(reason.message)
                }
            }
            guard rowProblems.isEmpty else {
                for message in rowProblems { problem(rowLine, message) }
                continue
            }
            let subject = Subject(name: name, role: field("role"), agency: field("agency"), nip: nip)
            let base = slug(name) ?? "orang-\(rowLine)"
            var targets: [Target] = []
            for (kind, account) in accounts {
                var id = "\(base)-\(kind == .page ? "web" : kind.rawValue)"
                var suffix = 2
                while taken.contains(id) {
                    id = "\(base)-\(kind == .page ? "web" : kind.rawValue)-\(suffix)"
                    suffix += 1
                }
                taken.insert(id)
                targets.append(Target(id: id, kind: kind, url: account, subject: subject, region: field("region")))
            }
            people.append(Person(line: rowLine, subject: subject, region: field("region"), targets: targets))
        }
        guard problems.isEmpty else { throw Problems(problems: problems) }
        return Watchlist(people: people)
    }

    /// Every control character (NUL, escape, …; tab and line ends are allowed) at its line and
    /// column, at most 100: no field of a watchlist may hold one, and none may reach the YAML.
    static func controlCharacters(in text: String, file: String) -> [Problem] {
        var problems: [Problem] = []
        var line = 1
        var column = 0
        for character in text {
            if character == "\n" || character == "\r\n" || character == "\r" {
                line += 1
                column = 0
                continue
            }
            column += 1
            guard let scalar = character.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\t" }) else {
                continue
            }
            let name = scalar.value == 0 ? "NUL" : "U+" + String(format: "%04X", scalar.value)
            problems.append(
                Problem(
                    file: file, line: line, column: column,
                    message: "control character \(name) in the file; no field may hold one (a damaged or binary export?)"))
            if problems.count == 100 { break }
        }
        return problems
    }

    struct AccountProblem: Error {
        var message: String
    }

    /// What a watchlist account is: a Mastodon account (`@user@host`, `https://host/@user`), a
    /// Bluesky account (a handle, `@handle`, `https://bsky.app/profile/handle`), a feed (a URL
    /// whose path ends in `.xml`, `.rss`, `.atom`, `.rdf`, `/feed` or `/rss`) or a page.
    static func classify(_ account: String) -> Result<Target.Kind, AccountProblem> {
        if let problem = TargetConfig.urlCharacterProblem(account) {
            return .failure(AccountProblem(message: "account '\(account)': \(problem.message)"))
        }
        let lower = account.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URLComponents(string: account), let host = url.host?.lowercased(), !host.isEmpty else {
                return .failure(AccountProblem(message: "account '\(account)' is not a valid URL"))
            }
            if url.user != nil || url.password != nil {
                return .failure(
                    AccountProblem(
                        message: "an account URL holds credentials; they are refused (they would reach logs, state and evidence)"))
            }
            let segments = url.path.split(separator: "/")
            if host == "bsky.app" {
                return segments.first == "profile" && segments.count >= 2
                    ? .success(.bluesky)
                    : .failure(
                        AccountProblem(message: "account '\(account)': a bsky.app URL must be a profile (https://bsky.app/profile/HANDLE)"))
            }
            if segments.count == 1, segments[0].hasPrefix("@"), segments[0].count > 1 { return .success(.mastodon) }
            let path = url.path.lowercased()
            let feedEndings = [".xml", ".rss", ".atom", ".rdf", "/feed", "/feed/", "/rss", "/rss/"]
            return .success(feedEndings.contains { path.hasSuffix($0) } ? .feed : .page)
        }
        let parts = (account.hasPrefix("@") ? String(account.dropFirst()) : account).split(separator: "@", omittingEmptySubsequences: false)
        if account.hasPrefix("@"), parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") { return .success(.mastodon) }
        if parts.count == 1, parts[0].contains("."), !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains("/") {
            return .success(.bluesky)
        }
        if !account.hasPrefix("@"), parts.count == 2 {
            return .failure(
                AccountProblem(
                    message: "account '\(account)': write a Mastodon account as @\(account), a Bluesky handle without '@' inside"))
        }
        return .failure(
            AccountProblem(
                message: "account '\(account)' is neither @user@host (Mastodon), a Bluesky handle (name.bsky.social) nor an http(s) URL"))
    }

    /// `Sri Wahyuni, S.Pd.` → `sri-wahyuni-s-pd`: letters and digits of the name, accents dropped.
    static func slug(_ name: String) -> String? {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var slug = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? nil : String(slug.prefix(60))
    }
}
