import Foundation
public import NetralModel

/// Judges a corpus of real posts (JSON Lines) in one process: how many items the packs flag
/// per 1,000, by class, and every flag with its hits, so an analyst can read each one.
///
/// Each line is one JSON object. `text` is required; `id`, `url`, `username` (or `handle`),
/// `author` (or `name`), `bio`, `title` and `created_at` (ISO 8601) are used when present.
/// A line that is not such an object is reported with its number and skipped.
public enum CorpusCheck {
    public struct Flag: Sendable, Encodable {
        public var line: Int
        public var id: String?
        public var url: String?
        public var handle: String?
        public var text: String
        public var findings: [Finding]
        /// Identity hits and whether each describes the author.
        public var identity: [IdentityEvidence]
    }

    public struct Report: Sendable, Encodable {
        public var path: String
        public var posts = 0
        /// Items with at least one finding of class `violation`.
        public var violations = 0
        /// Items with findings of class `report` only.
        public var reports = 0
        public var violationsPerThousand: Double { posts == 0 ? 0 : Double(violations) * 1000 / Double(posts) }
        public var reportsPerThousand: Double { posts == 0 ? 0 : Double(reports) * 1000 / Double(posts) }
        /// Findings per rule.
        public var rules: [String: Int] = [:]
        /// Every flagged item (violations first, then reports), each with its findings.
        public var flags: [Flag] = []
        /// `line N: why` for each line skipped (the first `maximumSkipped`), and how many in all.
        public var skipped: [String] = []
        public var skippedCount = 0

        enum CodingKeys: String, CodingKey {
            case path, posts, violations, reports, violationsPerThousand, reportsPerThousand, rules, flags, skipped, skippedCount
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(posts, forKey: .posts)
            try container.encode(violations, forKey: .violations)
            try container.encode(reports, forKey: .reports)
            try container.encode(violationsPerThousand, forKey: .violationsPerThousand)
            try container.encode(reportsPerThousand, forKey: .reportsPerThousand)
            try container.encode(rules, forKey: .rules)
            try container.encode(flags, forKey: .flags)
            try container.encode(skipped, forKey: .skipped)
            try container.encode(skippedCount, forKey: .skippedCount)
        }
    }

    /// The start of a flagged post kept in the report, in characters.
    public static let maximumFlagText = 2_000
    /// Identity hits kept per flagged post.
    public static let maximumFlagIdentity = 20

    /// Lines reported individually when skipped; the rest are counted.
    public static let maximumSkipped = 20
    /// The longest line read; a longer one is skipped (a corpus line is one post).
    public static let maximumLineBytes = 16 << 20

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `path` line by line (streamed: memory stays flat however long the file) and
    /// judges every post.
    public static func run(_ ruleSet: RuleSet, path: String) throws(ReadError) -> Report {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError(description: "\(path): cannot open the corpus file")
        }
        defer { try? handle.close() }
        var report = Report(path: path)
        var workspace = RuleSet.Workspace()
        var pending = Data()
        var lineNumber = 0
        var overlong = false
        func judge(_ line: Data) {
            lineNumber += 1
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
            switch post(from: line, path: path, line: lineNumber) {
            case .failure(let error):
                report.skippedCount += 1
                if report.skipped.count < maximumSkipped { report.skipped.append("line \(lineNumber): \(error.reason)") }
            case .success(let (item, id, url, handle)):
                report.posts += 1
                let evaluation = ruleSet.evaluate(item, workspace: &workspace)
                guard !evaluation.findings.isEmpty else { return }
                if evaluation.findings.contains(where: { $0.findingClass == .violation }) { report.violations += 1 } else { report.reports += 1 }
                for finding in evaluation.findings { report.rules[finding.rule, default: 0] += 1 }
                // A flag keeps what a reader needs: the post's start and the first identity hits.
                report.flags.append(Flag(line: lineNumber, id: id, url: url, handle: handle, text: String(item.body.prefix(maximumFlagText)),
                                         findings: evaluation.findings, identity: evaluation.identity(limit: maximumFlagIdentity)))
            }
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 16) ?? Data()
            } catch {
                throw ReadError(description: "\(path): read error after line \(lineNumber): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                if overlong {
                    lineNumber += 1
                    report.skippedCount += 1
                    if report.skipped.count < maximumSkipped { report.skipped.append("line \(lineNumber): longer than \(maximumLineBytes) bytes") }
                    overlong = false
                } else {
                    pending.append(chunk[start..<newline])
                    judge(pending)
                }
                pending.removeAll(keepingCapacity: true)
                start = chunk.index(after: newline)
            }
            if !overlong { pending.append(chunk[start...]) }
            if pending.count > maximumLineBytes {
                overlong = true
                pending.removeAll(keepingCapacity: true)
            }
        }
        if overlong {
            lineNumber += 1
            report.skippedCount += 1
            if report.skipped.count < maximumSkipped { report.skipped.append("line \(lineNumber): longer than \(maximumLineBytes) bytes") }
        } else if !pending.isEmpty {
            judge(pending)
        }
        report.flags.sort { a, b in
            let x = a.findings.contains { $0.findingClass == .violation }, y = b.findings.contains { $0.findingClass == .violation }
            return x != y ? x : a.line < b.line
        }
        return report
    }

    private static func post(from line: Data, path: String, line number: Int) -> Result<(Item, String?, String?, String?), PostError> {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: line)
        } catch {
            return .failure(PostError("not valid JSON"))
        }
        guard let fields = object as? [String: Any] else { return .failure(PostError("not a JSON object")) }
        guard let text = fields["text"] as? String else { return .failure(PostError("no \"text\" string")) }
        func string(_ keys: String...) -> String? {
            for key in keys {
                if let value = fields[key] as? String, !value.isEmpty { return value }
                if let value = fields[key] as? NSNumber { return value.stringValue }
            }
            return nil
        }
        let id = string("id")
        let url = string("url")
        let handle = string("username", "handle")
        let name = string("author", "name")
        let bio = string("bio")
        var published: Date?
        if let created = string("created_at", "published") {
            published = ISO8601DateFormatter().date(from: created)
            if published == nil { return .failure(PostError("\"created_at\" is not an ISO 8601 time: \(created.prefix(40))")) }
        }
        let author = (handle != nil || name != nil || bio != nil) ? Author(name: name, handle: handle, bio: bio) : nil
        let item = Item(
            sourceURL: url ?? "corpus:\((path as NSString).lastPathComponent):\(number)",
            platform: "corpus",
            author: author,
            publishedAt: published,
            title: string("title"),
            body: text,
            imageAlts: [],
            hashtags: [],
            metadata: [:]
        )
        return .success((item, id, url, handle))
    }

    private struct PostError: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

