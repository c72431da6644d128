import Foundation

/// What a page's JSON-LD says about its article or post.
struct JSONLDArticle: Equatable {
    /// The schema.org type, without prefix (`NewsArticle`).
    var type: String
    /// `headline`, else `name`.
    var headline: String?
    /// `name` when the object also has a different `headline`: a page's own title there, or
    /// the site's name (see `PageReader.computeTitle`).
    var otherName: String?
    var description: String?
    var articleBody: String?
    var datePublished: String?
    var authorNames: [String] = []
    var authorURL: String?
    /// `publisher.name`: the site, never the author.
    var publisherName: String?
    var inLanguage: String?
}

/// Reads `<script type="application/ld+json">` blocks with `JSONSerialization`. A block that is
/// not valid JSON is skipped silently: structured data is a bonus, never a reason to fail.
enum JSONLD {
    /// schema.org types that describe one article or post.
    static let articleTypes: Set<String> = [
        "Article", "NewsArticle", "BlogPosting", "SocialMediaPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "DiscussionForumPosting",
        "Report", "TechArticle", "Posting",
    ]

    /// The first article-like object in the scripts, looking inside arrays, `@graph` and
    /// `mainEntity`; author references (`{"@id": ...}`) are resolved against the same script.
    static func article(in scripts: [String]) -> JSONLDArticle? {
        for script in scripts {
            guard let root = parse(script) else { continue }
            var objects: [[String: Any]] = []
            collect(root, into: &objects, depth: 0)
            var byID: [String: [String: Any]] = [:]
            for object in objects {
                if let id = object["@id"] as? String { byID[id] = object }
            }
            for object in objects {
                guard let type = types(of: object).first(where: articleTypes.contains) else { continue }
                return makeArticle(object, type: type, byID: byID)
            }
        }
        return nil
    }

    static func parse(_ script: String) -> Any? {
        var text = nonEmpty(script) ?? ""
        for prefix in ["//<![CDATA[", "<![CDATA[", "<!--"] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
        }
        for suffix in ["//]]>", "]]>", "-->"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        text = nonEmpty(text) ?? ""
        while text.hasSuffix(";") { text.removeLast() }
        guard let first = text.first, first == "{" || first == "[" else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
    }

    /// Objects at the top level, in arrays, in `@graph`, and in `mainEntity`/`mainEntityOfPage`.
    private static func collect(_ value: Any, into objects: inout [[String: Any]], depth: Int) {
        guard depth < 8, objects.count < 256 else { return }
        if let array = value as? [Any] {
            for element in array { collect(element, into: &objects, depth: depth + 1) }
        } else if let object = value as? [String: Any] {
            objects.append(object)
            for key in ["@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item"] {
                if let nested = object[key] { collect(nested, into: &objects, depth: depth + 1) }
            }
        }
    }

    /// `@type` as a list, each without a `schema:` or URL prefix.
    static func types(of object: [String: Any]) -> [String] {
        let raw: [String]
        if let type = object["@type"] as? String {
            raw = [type]
        } else if let types = object["@type"] as? [Any] {
            raw = types.compactMap { $0 as? String }
        } else {
            raw = []
        }
        return raw.map { type in
            let trimmed = type.trimmingCharacters(in: .whitespaces)
            if let cut = trimmed.lastIndex(where: { $0 == "/" || $0 == ":" || $0 == "#" }) {
                return String(trimmed[trimmed.index(after: cut)...])
            }
            return trimmed
        }
    }

    private static func makeArticle(_ object: [String: Any], type: String, byID: [String: [String: Any]]) -> JSONLDArticle {
        var article = JSONLDArticle(type: type)
        article.headline = text(object["headline"]) ?? text(object["name"])
        if let name = text(object["name"]), name != article.headline { article.otherName = name }
        article.description = text(object["description"])
        article.articleBody = text(object["articleBody"]) ?? text(object["text"])
        article.datePublished = text(object["datePublished"]) ?? text(object["dateCreated"])
        article.inLanguage = text(object["inLanguage"])
        if var publisher = object["publisher"] as? [String: Any] {
            if publisher["name"] == nil, let id = publisher["@id"] as? String, let resolved = byID[id] { publisher = resolved }
            article.publisherName = text(publisher["name"])
        } else {
            article.publisherName = text(object["publisher"])
        }
        var authors: [Any] = []
        if let list = object["author"] as? [Any] {
            authors = list
        } else if let single = object["author"] {
            authors = [single]
        }
        for author in authors.prefix(16) {
            if let name = text(author) {
                article.authorNames.append(name)
                continue
            }
            guard var person = author as? [String: Any] else { continue }
            if person["name"] == nil, let id = person["@id"] as? String, let resolved = byID[id] { person = resolved }
            if let name = text(person["name"]) { article.authorNames.append(name) }
            if article.authorURL == nil { article.authorURL = text(person["url"]) }
        }
        return article
    }

    /// A non-empty string, whitespace collapsed; a language object's `name` also counts.
    private static func text(_ value: Any?) -> String? {
        if let string = value as? String { return nonEmpty(collapseWhitespace(string)) }
        if let array = value as? [Any], let first = array.first { return text(first) }
        if let object = value as? [String: Any], object["@value"] != nil { return text(object["@value"]) }
        return nil
    }
}
