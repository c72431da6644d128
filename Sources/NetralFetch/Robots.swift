import Foundation

/// A host's robots.txt as it applies to one agent (RFC 9309): the Allow and Disallow rules of
/// the group naming the agent (else the `*` group), and its Crawl-delay.
public struct RobotsPolicy: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var allow: Bool
        var pattern: String
    }

    var rules: [Rule]
    /// Seconds between requests the site asks for, if any.
    public var crawlDelay: Double?

    /// Everything allowed (no robots.txt, or a 4xx answer for it).
    public static let allowAll = RobotsPolicy(rules: [], crawlDelay: nil)
    /// Nothing allowed (RFC 9309: a 5xx answer means the site is unreachable for crawlers).
    public static let disallowAll = RobotsPolicy(rules: [Rule(allow: false, pattern: "/")], crawlDelay: nil)

    /// The product token of a User-Agent (`Netral/0.1 (+https://…)` → `netral`), lowercased.
    public static func agentToken(of userAgent: String) -> String {
        let first = userAgent.split(whereSeparator: { $0 == "/" || $0 == " " }).first.map(String.init) ?? userAgent
        return first.lowercased()
    }

    /// Parses robots.txt for `agent` (a product token). Lines it does not understand are ignored,
    /// as the RFC asks; at most 500 KiB are read.
    public init(text: String, agent: String) {
        var specific: [Rule] = []
        var general: [Rule] = []
        var specificDelay: Double?
        var generalDelay: Double?
        var foundSpecific = false
        var groupAgents: [String] = []
        var inRules = false
        for rawLine in text.utf8.prefix(500 * 1024).split(whereSeparator: { $0 == 10 || $0 == 13 }) {
            var line = String(decoding: rawLine, as: UTF8.self)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if inRules {
                    groupAgents = []
                    inRules = false
                }
                groupAgents.append(value.lowercased())
            case "allow", "disallow", "crawl-delay":
                inRules = true
                let isSpecific = groupAgents.contains { $0 != "*" && agent.hasPrefix($0) }
                let isGeneral = groupAgents.contains("*")
                guard isSpecific || isGeneral else { continue }
                if isSpecific { foundSpecific = true }
                if key == "crawl-delay" {
                    guard let seconds = Double(value), seconds.isFinite, seconds >= 0 else { continue }
                    if isSpecific { specificDelay = seconds } else { generalDelay = seconds }
                    continue
                }
                // An empty Disallow allows everything; it adds no rule.
                guard !value.isEmpty else { continue }
                let rule = Rule(allow: key == "allow", pattern: value)
                if isSpecific { specific.append(rule) } else { general.append(rule) }
            default:
                continue
            }
        }
        rules = foundSpecific ? specific : general
        crawlDelay = foundSpecific ? specificDelay : generalDelay
    }

    init(rules: [Rule], crawlDelay: Double?) {
        self.rules = rules
        self.crawlDelay = crawlDelay
    }

    /// Whether the agent may fetch `url`: the longest matching rule wins, Allow on a tie.
    public func allows(_ url: String) -> Bool {
        guard let components = URLComponents(string: url) else { return true }
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        var best: Rule?
        for rule in rules where Self.matches(rule.pattern, path) {
            if let current = best {
                if rule.pattern.count > current.pattern.count || (rule.pattern.count == current.pattern.count && rule.allow) { best = rule }
            } else {
                best = rule
            }
        }
        return best?.allow ?? true
    }

    /// `*` matches any run of characters; a final `$` anchors the end. Greedy-free and linear
    /// per segment: each literal segment is found after the previous one.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var pattern = Substring(pattern)
        let anchored = pattern.hasSuffix("$")
        if anchored { pattern = pattern.dropLast() }
        let segments = pattern.split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(path)
        for (index, segment) in segments.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(segment) else { return false }
                rest = rest.dropFirst(segment.count)
                continue
            }
            if segment.isEmpty { continue }
            if anchored && index == segments.count - 1 { return rest.hasSuffix(segment) }
            guard let range = rest.range(of: segment) else { return false }
            rest = rest[range.upperBound...]
        }
        return !anchored || rest.isEmpty || (segments.count > 1 && segments.last?.isEmpty == true)
    }
}
