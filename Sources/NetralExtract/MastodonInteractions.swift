public import Foundation
public import NetralModel

/// The public, login-free listings of who interacted with one status: who boosted it, who
/// favourited it (both paged by the `Link` header) and its replies (the status context).
///
/// - SeeAlso: https://docs.joinmastodon.org/methods/statuses/
extension MastodonAPI {
    /// The most accounts one `reblogged_by` or `favourited_by` page may hold.
    public static let maxAccountsPerPage = 80

    /// `GET /api/v1/statuses/:id/reblogged_by` : accounts that boosted the status.
    public func rebloggedByURL(statusID: String, limit: Int = MastodonAPI.maxAccountsPerPage) -> String {
        "\(baseURL)/api/v1/statuses/\(queryEscape(statusID))/reblogged_by?limit=\(min(max(limit, 1), Self.maxAccountsPerPage))"
    }

    /// `GET /api/v1/statuses/:id/favourited_by` : accounts that favourited the status.
    public func favouritedByURL(statusID: String, limit: Int = MastodonAPI.maxAccountsPerPage) -> String {
        "\(baseURL)/api/v1/statuses/\(queryEscape(statusID))/favourited_by?limit=\(min(max(limit, 1), Self.maxAccountsPerPage))"
    }

    /// `GET /api/v1/statuses/:id/context` : the thread around the status; `descendants` are
    /// its replies (and replies to them).
    public func contextURL(statusID: String) -> String {
        "\(baseURL)/api/v1/statuses/\(queryEscape(statusID))/context"
    }

    /// `GET /api/v1/timelines/tag/:hashtag` : public statuses with the hashtag, newest first,
    /// paged by the `Link` header. Some instances require a login for it (the answer is 401
    /// or 422 then).
    public func tagTimelineURL(tag: String, limit: Int = MastodonAPI.maxStatusesPerPage) -> String {
        "\(baseURL)/api/v1/timelines/tag/\(queryEscape(tag))?limit=\(min(max(limit, 1), Self.maxStatusesPerPage))"
    }

    /// The API of the instance and the tag (without `#`) of `https://instance/tags/NAME` or
    /// `#NAME@instance`.
    public static func forHashtag(_ text: String) throws -> (api: MastodonAPI, tag: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: trimmed), let host = url.host else { throw SourceError.invalidBaseURL(trimmed) }
            let segments = url.path.split(separator: "/")
            guard segments.count == 2, segments[0] == "tags", let tag = validTag(String(segments[1])) else { throw SourceError.invalidBaseURL(trimmed) }
            return (try MastodonAPI(instance: "\(url.scheme!)://\(host)\(url.port.map { ":\($0)" } ?? "")"), tag)
        }
        let parts = (trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed).split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.hasPrefix("#"), parts.count == 2, let tag = validTag(String(parts[0])), !parts[1].isEmpty else { throw SourceError.invalidBaseURL(trimmed) }
        return (try MastodonAPI(instance: String(parts[1])), tag)
    }

    /// A hashtag is letters, digits and `_` (Mastodon's own rule), at most 100 of them.
    private static func validTag(_ text: String) -> String? {
        let tag = text.removingPercentEncoding ?? text
        guard !tag.isEmpty, tag.count <= 100, tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return tag
    }

    /// `GET /api/v1/accounts/:id` : one account's profile (bio and profile fields).
    public func accountURL(id: String) -> String {
        "\(baseURL)/api/v1/accounts/\(queryEscape(id))"
    }
}

/// One page of a `reblogged_by` or `favourited_by` listing: its accounts, the next page's URL
/// (from the `Link` header, same host only), and the entries that could not be read.
public struct MastodonAccountPage: Sendable, Equatable {
    public var accounts: [MastodonAccount]
    public var nextURL: String?
    public var warnings: [String]
}

extension MastodonExtractor {
    /// The accounts of a `reblogged_by` or `favourited_by` answer (an array of accounts). An
    /// entry without an id and a username is skipped with a warning.
    public func accountPage(from capture: Capture) throws -> MastodonAccountPage {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        guard case .array = shape else {
            throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$", reason: "expected an array of accounts, found \(shape.name)")
        }
        var warnings = reader.repairWarning.map { [$0] } ?? []
        var accounts: [MastodonAccount] = []
        for (index, element) in try reader.decode([Failable<AccountDTO>].self).enumerated() {
            switch element.result {
            case let .success(dto):
                if let account = dto.account {
                    accounts.append(account)
                } else {
                    warnings.append("\(capture.finalURL): account at $[\(index)] has no id or username; skipped")
                }
            case let .failure(error):
                let (path, reason) = JSONReader.describe(error)
                warnings.append("\(capture.finalURL): account at \(path) skipped: \(reason)")
            }
        }
        let next = MastodonAPI.nextPageURL(linkHeader: capture.header("Link"), requestURL: capture.finalURL)
        return MastodonAccountPage(accounts: accounts, nextURL: next, warnings: warnings)
    }

    /// The replies of a `context` answer (`descendants`) as items, each with its author's
    /// account id in `metadata["account_id"]`; statuses that cannot be read are warnings.
    public func replies(from capture: Capture) throws -> MastodonPage {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        guard shape.keys.contains("descendants") else {
            throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$.descendants", reason: "expected a status context, found \(shape.name)")
        }
        let context = try reader.decode(ContextDTO.self)
        var warnings = reader.repairWarning.map { [$0] } ?? []
        var items: [Item] = []
        for (index, element) in (context.descendants ?? []).enumerated() {
            switch element.result {
            case let .success(status):
                // A reply is its author's own post: never a boost.
                guard status.reblog == nil, var item = makeItem(status, readFrom: capture.finalURL) else {
                    warnings.append("\(capture.finalURL): reply at $.descendants[\(index)] has no url, uri or id; skipped")
                    continue
                }
                if let accountID = status.account?.id?.value { item.metadata["account_id"] = accountID }
                items.append(item)
            case let .failure(error):
                let (path, reason) = JSONReader.describe(error)
                warnings.append("\(capture.finalURL): reply at \(path) skipped: \(reason)")
            }
        }
        return MastodonPage(items: items, nextURL: nil, warnings: warnings)
    }
}

struct ContextDTO: Decodable {
    var descendants: [Failable<StatusDTO>]?
}
