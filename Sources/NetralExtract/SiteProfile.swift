import Foundation
public import NetralYAML

/// How to split one kind of page (a forum thread, a timeline) into several items: an XPath
/// expression selecting one node per post, and expressions relative to that node for the post's
/// text, author, time and permalink. Loaded from `Rules/sites/*.yaml` by `SiteProfileLoader`.
///
/// A profile holds expression text only; expressions are compiled (and were checked at load) by
/// libxml2 when a page is read, so a profile is a plain `Sendable` value.
public struct SiteProfile: Sendable, Equatable {
    /// XPath expressions evaluated with the item node as the context node.
    public struct Fields: Sendable, Equatable {
        /// The post's text (required). Elements give their visible text, attributes their value.
        public var text: String
        public var author: String?
        /// The author's profile link; without it, an `<a>` selected by `author` gives its `href`.
        public var authorURL: String?
        /// A `datetime` attribute, or text such as `20 Januari 2024 19.30 WIB`.
        public var time: String?
        /// The post's own URL; an `<a>` gives its `href`. Becomes the item's canonical URL.
        public var permalink: String?
        public var title: String?

        public init(text: String, author: String? = nil, authorURL: String? = nil, time: String? = nil, permalink: String? = nil, title: String? = nil) {
            self.text = text
            self.author = author
            self.authorURL = authorURL
            self.time = time
            self.permalink = permalink
            self.title = title
        }

        /// Each set field with its key as written in the profile file.
        public var all: [(key: String, expression: String)] {
            var all: [(String, String)] = [("text", text)]
            if let author { all.append(("author", author)) }
            if let authorURL { all.append(("author_url", authorURL)) }
            if let time { all.append(("time", time)) }
            if let permalink { all.append(("permalink", permalink)) }
            if let title { all.append(("title", title)) }
            return all
        }
    }

    /// The profile's name, unique across loaded files (`forum-warga`).
    public var name: String
    public var description: String?
    /// The file the profile was read from.
    public var file: String
    /// Hosts (`forum.warga.example`, also matching its subdomains) or URL prefixes
    /// (`https://warga.example/forum/`, or without a scheme `warga.example/forum/`) the profile
    /// applies to. Empty: the profile is only used when asked for by name.
    public var match: [String]
    /// Selects one node per item.
    public var item: String
    public var fields: Fields

    public init(name: String, description: String? = nil, file: String = "", match: [String] = [], item: String, fields: Fields) {
        self.name = name
        self.description = description
        self.file = file
        self.match = match
        self.item = item
        self.fields = fields
    }

    /// Whether one of `match` covers `url`.
    public func applies(to url: String) -> Bool {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else { return false }
        let scheme = components.scheme?.lowercased() ?? ""
        var rest = components.percentEncodedPath
        if let query = components.percentEncodedQuery { rest += "?" + query }
        for pattern in match {
            if let schemeEnd = pattern.range(of: "://") {
                let patternScheme = pattern[..<schemeEnd.lowerBound].lowercased()
                guard patternScheme == scheme else { continue }
                if SiteProfile.hostAndPath(String(pattern[schemeEnd.upperBound...]), matchHost: host, rest: rest, subdomains: false) {
                    return true
                }
            } else if SiteProfile.hostAndPath(pattern, matchHost: host, rest: rest, subdomains: !pattern.contains("/")) {
                return true
            }
        }
        return false
    }

    private static func hostAndPath(_ pattern: String, matchHost host: String, rest: String, subdomains: Bool) -> Bool {
        let slash = pattern.firstIndex(of: "/") ?? pattern.endIndex
        let patternHost = pattern[..<slash].lowercased()
        let patternPath = String(pattern[slash...])
        let hostMatches = host == patternHost || (subdomains && host.hasSuffix("." + patternHost))
        guard hostMatches else { return false }
        return patternPath.isEmpty || (rest.isEmpty ? "/" : rest).hasPrefix(patternPath)
    }
}

extension Array where Element == SiteProfile {
    /// The profile called `name` (for `netral explain --profile NAME`).
    public func named(_ name: String) -> SiteProfile? {
        first { $0.name == name }
    }

    /// The first profile, in load order, whose `match` covers `url`.
    public func matching(url: String) -> SiteProfile? {
        first { $0.applies(to: url) }
    }
}

/// Reads site-profile files and checks everything up front: unknown keys, wrong types, and every
/// XPath expression compiled by libxml2 (and evaluated once on a tiny page, which catches unknown
/// functions and namespace prefixes), each error reported as `file:line:col: message`.
public enum SiteProfileLoader {
    /// The profile format this version reads.
    public static let supportedFormat = 1

    static let profileKeys = ["format", "profile", "description", "match", "item", "fields"]
    static let fieldKeys = ["text", "author", "author_url", "time", "permalink", "title"]

    /// Expands directories into the `.yaml`/`.yml` files directly inside them (sorted); files
    /// are taken as given.
    public static func profileFiles(in paths: [String]) throws(DiagnosticsError) -> [String] {
        try YAMLDocument.files(in: paths)
    }

    /// Loads every profile at `paths` (files or directories such as `Rules/sites`). Profile
    /// names must be unique across the files.
    public static func load(paths: [String]) throws(DiagnosticsError) -> [SiteProfile] {
        var diagnostics = DiagnosticList()
        var profiles: [SiteProfile] = []
        var seen: [String: String] = [:]
        for file in try profileFiles(in: paths) {
            do {
                let (value, _) = try YAMLDocument.load(path: file)
                if let (profile, nameValue) = parse(value, file: file, into: &diagnostics) {
                    if let other = seen[profile.name] {
                        diagnostics.append(nameValue.diagnostic("profile '\(profile.name)' is already defined in \(other)"))
                    } else {
                        seen[profile.name] = file
                        profiles.append(profile)
                    }
                }
            } catch {
                for diagnostic in error.diagnostics { diagnostics.append(diagnostic) }
            }
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics.sorted) }
        return profiles
    }

    /// Parses one profile from YAML text (what `load` does for each file).
    public static func parse(_ text: String, file: String) throws(DiagnosticsError) -> SiteProfile {
        let value = try YAMLDocument.parse(text, file: file)
        var diagnostics = DiagnosticList()
        let parsed = parse(value, file: file, into: &diagnostics)
        guard diagnostics.isEmpty, let (profile, _) = parsed else { throw DiagnosticsError(diagnostics.sorted) }
        return profile
    }

    static func parse(_ root: YAMLValue, file: String, into diagnostics: inout DiagnosticList) -> (SiteProfile, YAMLValue)? {
        guard let mapping = root.mapping("a site profile", into: &diagnostics) else { return nil }
        mapping.checkKeys(allowed: profileKeys, required: ["format", "profile", "item", "fields"], in: "the site profile", into: &diagnostics)
        let before = diagnostics.items.count

        if let format = mapping["format"], let number = format.integer("'format'", into: &diagnostics), number != supportedFormat {
            diagnostics.append(format.diagnostic("unsupported profile format \(number); this version reads format \(supportedFormat)"))
        }
        var name: String?
        if let value = mapping["profile"], let text = value.string("'profile'", into: &diagnostics) {
            if text.isEmpty || !text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                diagnostics.append(value.diagnostic("'profile' must be a name of lowercase letters, digits and '-', found '\(text)'"))
            } else {
                name = text
            }
        }
        let description = mapping["description"].flatMap { $0.string("'description'", into: &diagnostics) }

        var match: [String] = []
        if let value = mapping["match"] {
            let entries: [YAMLValue]
            if value.isSequence {
                entries = value.sequence("'match'", into: &diagnostics) ?? []
            } else {
                entries = [value]
            }
            for entry in entries {
                guard let pattern = entry.string("each 'match' entry", into: &diagnostics) else { continue }
                if let problem = matchProblem(pattern) {
                    diagnostics.append(entry.diagnostic(problem))
                } else {
                    match.append(pattern)
                }
            }
        }

        let item = mapping["item"].flatMap { xpath($0, key: "item", mustSelectNodes: true, into: &diagnostics) }
        var fields: SiteProfile.Fields?
        if let value = mapping["fields"], let fieldMapping = value.mapping("'fields'", into: &diagnostics) {
            fieldMapping.checkKeys(allowed: fieldKeys, required: ["text"], in: "'fields'", into: &diagnostics)
            var expressions: [String: String] = [:]
            for entry in fieldMapping.entries where fieldKeys.contains(entry.key) {
                if let expression = xpath(entry.value, key: "fields.\(entry.key)", mustSelectNodes: false, into: &diagnostics) {
                    expressions[entry.key] = expression
                }
            }
            if let text = expressions["text"] {
                fields = SiteProfile.Fields(
                    text: text, author: expressions["author"], authorURL: expressions["author_url"], time: expressions["time"],
                    permalink: expressions["permalink"], title: expressions["title"]
                )
            }
        }
        guard diagnostics.items.count == before, let name, let item, let fields, let nameValue = mapping["profile"] else { return nil }
        return (SiteProfile(name: name, description: description, file: file, match: match, item: item, fields: fields), nameValue)
    }

    /// Why a `match` entry cannot work, or nil.
    static func matchProblem(_ pattern: String) -> String? {
        if pattern.isEmpty { return "a 'match' entry must not be empty" }
        if pattern.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) { return "a 'match' entry must not contain spaces, found '\(pattern)'" }
        if let schemeEnd = pattern.range(of: "://") {
            let scheme = pattern[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return "a 'match' URL must start with http:// or https://, found '\(pattern)'" }
            if pattern[schemeEnd.upperBound...].isEmpty || pattern[schemeEnd.upperBound...].hasPrefix("/") {
                return "a 'match' URL must name a host, found '\(pattern)'"
            }
        } else if pattern.hasPrefix("/") || pattern.contains("*") {
            return "a 'match' entry is a host (forum.example) or a URL prefix (https://forum.example/thread/), found '\(pattern)'"
        }
        return nil
    }

    /// Reads a string that must be a valid XPath expression; a compile error points at the
    /// offset libxml2 reports inside the value.
    static func xpath(_ value: YAMLValue, key: String, mustSelectNodes: Bool, into diagnostics: inout DiagnosticList) -> String? {
        guard let source = value.string("'\(key)'", into: &diagnostics) else { return nil }
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            diagnostics.append(value.diagnostic("'\(key)' must be an XPath expression, found an empty string"))
            return nil
        }
        let expression: XPathExpression
        do {
            expression = try XPathExpression(source)
        } catch {
            let message = "invalid XPath expression in '\(key)': \(error.message)"
            if let offset = error.offset, !source.contains("\n") {
                diagnostics.append(value.diagnostic(message, atOffset: offset))
            } else {
                diagnostics.append(value.diagnostic(message))
            }
            return nil
        }
        do {
            let result = try XPathProbe.evaluate(expression)
            if mustSelectNodes, let result {
                guard case .nodes = result else {
                    diagnostics.append(value.diagnostic("'\(key)' must select nodes (a path such as //article), not a string, number or boolean"))
                    return nil
                }
            }
        } catch {
            diagnostics.append(value.diagnostic("invalid XPath expression in '\(key)': \(error.message)"))
            return nil
        }
        return source
    }
}
