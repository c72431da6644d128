public import Foundation
public import NetralModel

/// URLs of the public, login-free Mastodon API of one instance, and the `Link` header that pages
/// through it. The HTTP loop (and its page limit) belongs to the caller:
///
/// ```swift
/// // `fetch` stands for the caller's HTTP loop, which returns a `Capture`.
/// let (api, acct) = try MastodonAPI.forAccount("@camat.sungaijernih@sosial.example")
/// let lookup = try await fetch(api.accountLookupURL(acct: acct))
/// let account = try MastodonExtractor().account(from: lookup.body, sourceURL: lookup.finalURL)
/// var next: String? = api.accountStatusesURL(accountID: account.id)
/// var pages = 0
/// while let url = next, pages < maxPages {
///     let capture = try await fetch(url)              // with its Link header
///     let page = try MastodonExtractor().page(from: capture)
///     items += page.items
///     next = page.nextURL
///     pages += 1
/// }
/// ```
///
/// - SeeAlso: https://docs.joinmastodon.org/methods/accounts/
public struct MastodonAPI: Sendable, Equatable {
    /// The most statuses one page may hold (`limit` above this is lowered by the server).
    public static let maxStatusesPerPage = 40

    /// `https://instance.example`, without a trailing slash.
    public let baseURL: String

    /// `instance` is a host (`sosial.example`) or a URL (`https://sosial.example/`).
    ///
    /// - Throws: `SourceError.invalidBaseURL` for anything but an http(s) URL with a host.
    public init(instance: String) throws {
        let url = try normalizedBaseURL(instance)
        var base = "\(url.scheme!.lowercased())://\(url.host!)"
        if let port = url.port { base += ":\(port)" }
        baseURL = base
    }

    /// The API of the instance a handle or profile URL names, and the account's `acct`:
    /// `@budi@sosial.example`, `budi@sosial.example`, `https://sosial.example/@budi`.
    public static func forAccount(_ handleOrURL: String) throws -> (api: MastodonAPI, acct: String) {
        let text = handleOrURL.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.lowercased().hasPrefix("http://") || text.lowercased().hasPrefix("https://") {
            guard let url = URL(string: text), let host = url.host else { throw SourceError.invalidBaseURL(text) }
            let segments = url.path.split(separator: "/")
            guard let user = segments.first(where: { $0.hasPrefix("@") }).map({ String($0.dropFirst()) }), !user.isEmpty else {
                throw SourceError.invalidBaseURL(text)
            }
            let api = try MastodonAPI(instance: "\(url.scheme!)://\(host)\(url.port.map { ":\($0)" } ?? "")")
            return (api, user)
        }
        let parts = (text.hasPrefix("@") ? String(text.dropFirst()) : text).split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw SourceError.invalidBaseURL(text) }
        return (try MastodonAPI(instance: String(parts[1])), "\(parts[0])@\(parts[1])")
    }

    /// `GET /api/v1/accounts/lookup?acct=` : the account (and so its id) for a handle.
    public func accountLookupURL(acct: String) -> String {
        let trimmed = acct.hasPrefix("@") ? String(acct.dropFirst()) : acct
        return "\(baseURL)/api/v1/accounts/lookup?acct=\(queryEscape(trimmed))"
    }

    /// `GET /api/v1/accounts/:id/statuses` : the account's public statuses, newest first,
    /// boosts and replies included. `maxID` asks for statuses older than that id (the `Link`
    /// header's next URL already carries it).
    public func accountStatusesURL(accountID: String, limit: Int = MastodonAPI.maxStatusesPerPage, excludeReplies: Bool = false, maxID: String? = nil) -> String {
        let clamped = min(max(limit, 1), Self.maxStatusesPerPage)
        var url = "\(baseURL)/api/v1/accounts/\(queryEscape(accountID))/statuses?limit=\(clamped)&exclude_replies=\(excludeReplies)"
        if let maxID { url += "&max_id=\(queryEscape(maxID))" }
        return url
    }

    /// `GET /api/v1/statuses/:id` : one status.
    public func statusURL(id: String) -> String {
        "\(baseURL)/api/v1/statuses/\(queryEscape(id))"
    }

    /// The `rel="next"` URL of a `Link` header, or nil when there is no further page.
    ///
    /// When `requestURL` is given, a next URL on another host or scheme than the request's is
    /// refused (nil): a hostile server must not steer the scanner elsewhere. Relative URLs are
    /// resolved against `requestURL`.
    public static func nextPageURL(linkHeader: String?, requestURL: String? = nil) -> String? {
        guard let linkHeader, let next = links(in: linkHeader)["next"] else { return nil }
        let base = requestURL.flatMap { URL(string: $0) }
        guard let url = URL(string: next, relativeTo: base)?.absoluteURL,
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        if let base {
            guard url.host?.lowercased() == base.host?.lowercased(), scheme == base.scheme?.lowercased(), url.port == base.port else {
                return nil
            }
        }
        return url.absoluteString
    }

    /// Every link of an RFC 8288 `Link` header by relation (`next`, `prev`); the first wins.
    public static func links(in header: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let target = String(rest[rest.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: close)...]
            // Parameters run to the next comma that is followed by a `<` (commas may be quoted).
            let parametersEnd = rest.firstIndex(of: "<") ?? rest.endIndex
            let parameters = rest[..<parametersEnd]
            for parameter in parameters.split(separator: ";") {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "rel" else { continue }
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t,\""))
                for relation in value.split(separator: " ") where result[relation.lowercased()] == nil {
                    result[relation.lowercased()] = target
                }
            }
            rest = rest[parametersEnd...]
        }
        return result
    }
}

/// A Mastodon account as `accounts/lookup` and every status give it.
public struct MastodonAccount: Sendable, Equatable {
    /// The id the statuses URL needs.
    public var id: String
    public var username: String
    /// `user` for a local account, `user@host` for a remote one.
    public var acct: String
    public var displayName: String?
    /// The profile page.
    public var url: String?
    /// The bio (`note`, HTML made text) followed by the profile fields as `name: value` lines,
    /// where people write their job and agency.
    public var bio: String?

    /// The account as an item author: handle `@user@host`.
    public var author: Author {
        var handle = acct
        if !handle.contains("@"), let host = url.flatMap({ URL(string: $0)?.host }) { handle += "@" + host }
        return Author(name: displayName ?? username, handle: "@" + handle, profileURL: url, bio: bio)
    }
}

/// One page of statuses: its items, the next page's URL from the `Link` header, and the
/// statuses that could not be read.
public struct MastodonPage: Sendable, Equatable {
    public var items: [Item]
    public var nextURL: String?
    public var warnings: [String]
}

/// Turns Mastodon API answers into items (platform `mastodon`).
///
/// A status becomes an item whose `sourceURL` and `canonicalURL` are its permalink (`url`, else
/// `uri`); `content` HTML becomes the body, `spoiler_text` (the content warning) the title,
/// media descriptions the image alts, tags the hashtags. A boost becomes the original status by
/// its original author, with the booster in `metadata["boosted_by"]` (handle),
/// `metadata["boosted_by_url"]`, and the boost time in `metadata["boosted_at"]`.
/// `metadata["read_from"]` is the API URL the status was read from.
public struct MastodonExtractor: Sendable {
    public init() {}

    /// The account of an `accounts/lookup` (or `accounts/:id`) answer.
    public func account(from data: Data, sourceURL: String) throws -> MastodonAccount {
        let reader = try JSONReader(data: data, source: sourceURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        guard case .object = shape else {
            throw SourceError.unexpectedJSON(source: sourceURL, path: "$", reason: "expected an account object, found \(shape.name)")
        }
        let dto = try reader.decode(AccountDTO.self)
        guard let account = dto.account else {
            throw SourceError.unexpectedJSON(source: sourceURL, path: "$.id", reason: "an account needs an id and a username or acct")
        }
        return account
    }

    /// The statuses of an `accounts/:id/statuses` answer (or of any array of statuses), with
    /// the next page's URL read from the capture's `Link` header.
    public func page(from capture: Capture) throws -> MastodonPage {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        var warnings = reader.repairWarning.map { [$0] } ?? []
        var items: [Item] = []
        switch shape {
        case .array:
            let statuses = try reader.decode([Failable<StatusDTO>].self)
            for (index, element) in statuses.enumerated() {
                switch element.result {
                case let .success(status):
                    if let item = makeItem(status, readFrom: capture.finalURL) {
                        items.append(item)
                    } else {
                        warnings.append("\(capture.finalURL): status at $[\(index)] has no url, uri or id; skipped")
                    }
                case let .failure(error):
                    let (path, reason) = JSONReader.describe(error)
                    warnings.append("\(capture.finalURL): status at \(path) skipped: \(reason)")
                }
            }
            if items.isEmpty, statuses.count > 0, let first = statuses.first, case let .failure(error) = first.result {
                throw reader.sourceError(error)
            }
        case .object where Self.isStatus(shape):
            let status = try reader.decode(StatusDTO.self)
            guard let item = makeItem(status, readFrom: capture.finalURL) else {
                throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$", reason: "the status has no url, uri or id")
            }
            items.append(item)
        default:
            throw SourceError.unexpectedJSON(
                source: capture.finalURL, path: "$", reason: "expected a status or an array of statuses, found \(shape.name)"
            )
        }
        let next = MastodonAPI.nextPageURL(linkHeader: capture.header("Link"), requestURL: capture.finalURL)
        return MastodonPage(items: items, nextURL: next, warnings: warnings)
    }

    /// The statuses of an answer as items (see `page(from:)`); throws only when none can be read.
    public func statuses(from data: Data, sourceURL: String) throws -> [Item] {
        try page(from: Capture(requestURL: sourceURL, finalURL: sourceURL, status: 200, body: data, fetchedAt: Date())).items
    }

    /// Whatever a saved Mastodon answer holds: one status, an array of statuses, or an account
    /// (which becomes one profile item: the author, with name and bio, and an empty body).
    public func items(from capture: Capture) throws -> SourceExtraction {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        if case .object = shape, !Self.isStatus(shape), shape.keys.contains("acct") || shape.keys.contains("username") {
            let account = try account(from: capture.body, sourceURL: capture.finalURL)
            let item = Item(
                sourceURL: account.url ?? capture.finalURL,
                canonicalURL: account.url,
                platform: "mastodon",
                author: account.author,
                body: "",
                hashtags: Hashtags.find(in: [account.bio ?? ""]),
                metadata: ["kind": "profile", "account_id": account.id, "read_from": capture.finalURL]
            )
            return SourceExtraction(items: [item], warnings: reader.repairWarning.map { [$0] } ?? [])
        }
        let page = try page(from: capture)
        return SourceExtraction(items: page.items, warnings: page.warnings)
    }

    static func isStatus(_ shape: JSONShape) -> Bool {
        let keys = shape.keys
        return keys.contains("content") && (keys.contains("account") || keys.contains("uri"))
    }

    // MARK: Items

    func makeItem(_ outer: StatusDTO, readFrom: String) -> Item? {
        // A boost carries the original status in `reblog`: the item is the original.
        let status = outer.reblog?.value ?? outer
        let permalink = (status.url?.value).flatMap(nonEmpty) ?? (status.uri?.value).flatMap(nonEmpty)
        guard let sourceURL = permalink ?? status.id.map({ "\(readFrom)#status-\($0.value)" }) else { return nil }

        let fragment = FragmentText(html: status.content?.value ?? "", baseURL: sourceURL)
        var body = fragment.text
        if let options = status.poll?.options?.compactMap({ $0.title?.value }).compactMap(nonEmpty), !options.isEmpty {
            body += (body.isEmpty ? "" : "\n") + options.joined(separator: "\n")
        }
        var links: [Link] = []
        var mentions: [String] = []
        for (link, classes) in zip(fragment.links, fragment.linkClasses) {
            let classSet = Set(classes.split(separator: " ").map(String.init))
            if classSet.contains("hashtag") { continue }
            if classSet.contains("mention") {
                mentions.append(link.text)
                continue
            }
            links.append(link)
        }
        // The `mentions` list has full handles; the link texts only the user part.
        let listed = (status.mentions ?? []).compactMap { $0.acct.flatMap { nonEmpty($0.value) } }.map { "@" + $0 }
        if !listed.isEmpty { mentions = listed }
        var description: String?
        if let card = status.card, let url = card.url?.value.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            if !links.contains(where: { $0.url == url }) {
                links.append(Link(url: url, text: card.title.map { collapseWhitespace($0.value) } ?? ""))
            }
            description = card.description.flatMap { nonEmpty(collapseWhitespace($0.value)) }
        }
        var imageAlts = fragment.imageAlts
        var mediaURLs: [String] = []
        for media in status.mediaAttachments ?? [] {
            if let alt = media.description.flatMap({ nonEmpty(collapseWhitespace($0.value)) }) { imageAlts.append(alt) }
            if let url = (media.url ?? media.remoteUrl).flatMap({ nonEmpty($0.value) }) { mediaURLs.append(url) }
        }
        let title = status.spoilerText.flatMap { nonEmpty(collapseWhitespace($0.value)) }
        let tagNames = (status.tags ?? []).compactMap { $0.name?.value }
        let hashtags = mergeHashtags(Hashtags.find(in: [body, title ?? ""] + imageAlts), tagNames)

        var metadata: [String: String] = ["read_from": readFrom]
        if let id = status.id?.value { metadata["id"] = id }
        if let uri = status.uri?.value { metadata["uri"] = uri }
        if let visibility = status.visibility?.value { metadata["visibility"] = visibility }
        if let reply = status.inReplyToId?.value { metadata["in_reply_to_id"] = reply }
        if let edited = status.editedAt?.value { metadata["edited_at"] = edited }
        if !mentions.isEmpty { metadata["mentions"] = mentions.joined(separator: " ") }
        if !mediaURLs.isEmpty { metadata["media_urls"] = mediaURLs.joined(separator: " ") }
        if outer.reblog != nil {
            if let booster = outer.account?.account {
                metadata["boosted_by"] = booster.author.handle
                if let url = booster.url { metadata["boosted_by_url"] = url }
                if let name = booster.displayName { metadata["boosted_by_name"] = name }
            }
            if let at = outer.createdAt?.value {
                metadata["boosted_at"] = ISODate.parse(at).map(formatISO8601) ?? at
            }
            if let uri = outer.uri?.value { metadata["boost_uri"] = uri }
        }
        return Item(
            sourceURL: sourceURL,
            canonicalURL: permalink,
            platform: "mastodon",
            author: status.account?.account?.author,
            publishedAt: status.createdAt.flatMap { ISODate.parse($0.value) },
            language: status.language.flatMap { nonEmpty($0.value) },
            title: title,
            description: description,
            body: body,
            imageAlts: imageAlts,
            links: links,
            hashtags: hashtags,
            metadata: metadata
        )
    }
}

// MARK: - Answer shapes (only the fields Netral reads; all optional, so missing fields are fine)

struct StatusDTO: Decodable {
    var id: LenientString?
    var createdAt: LenientString?
    var url: LenientString?
    var uri: LenientString?
    var content: LenientString?
    var spoilerText: LenientString?
    var language: LenientString?
    var visibility: LenientString?
    var inReplyToId: LenientString?
    var editedAt: LenientString?
    var account: AccountDTO?
    var reblog: Box<StatusDTO>?
    var mediaAttachments: [MediaDTO]?
    var tags: [TagDTO]?
    var mentions: [MentionDTO]?
    var card: CardDTO?
    var poll: PollDTO?

    struct MediaDTO: Decodable {
        var description: LenientString?
        var url: LenientString?
        var remoteUrl: LenientString?
    }

    struct TagDTO: Decodable {
        var name: LenientString?
    }

    struct MentionDTO: Decodable {
        var acct: LenientString?
    }

    struct CardDTO: Decodable {
        var url: LenientString?
        var title: LenientString?
        var description: LenientString?
    }

    struct PollDTO: Decodable {
        var options: [Option]?

        struct Option: Decodable {
            var title: LenientString?
        }
    }
}

struct AccountDTO: Decodable {
    var id: LenientString?
    var username: LenientString?
    var acct: LenientString?
    var displayName: LenientString?
    var note: LenientString?
    var url: LenientString?
    var fields: [Field]?

    struct Field: Decodable {
        var name: LenientString?
        var value: LenientString?
    }

    var account: MastodonAccount? {
        guard let id = id?.value, let username = (username ?? acct)?.value else { return nil }
        var bioLines: [String] = []
        if let note = note?.value, !note.isEmpty {
            let text = FragmentText(html: note, baseURL: url?.value).text
            if !text.isEmpty { bioLines.append(text) }
        }
        for field in fields ?? [] {
            guard let name = field.name.map({ collapseWhitespace($0.value) }), !name.isEmpty else { continue }
            let value = field.value.map { FragmentText(html: $0.value, baseURL: nil).text } ?? ""
            bioLines.append(value.isEmpty ? name : "\(name): \(value)")
        }
        return MastodonAccount(
            id: id,
            username: username,
            acct: acct?.value ?? username,
            displayName: displayName.flatMap { nonEmpty(collapseWhitespace($0.value)) },
            url: url.flatMap { nonEmpty($0.value) },
            bio: bioLines.isEmpty ? nil : bioLines.joined(separator: "\n")
        )
    }
}
