public import Foundation

/// What an account says about itself on its platform: the material account identities are
/// read from ("Guru SDN 4 …" in a bio, "Kecamatan Sukamaju" as a display name, a link to a
/// go.id site). Produced by the platform parsers, kept by the state with where it was seen.
public struct AccountProfile: Sendable, Codable, Equatable {
    /// `tiktok`, `instagram`, `facebook`, `x`, `youtube`, `telegram`, `mastodon`, `bluesky`.
    public var platform: String
    /// The platform's stable account id when known, else the handle (see `key`).
    public var accountID: String?
    public var handle: String?
    public var displayName: String?
    public var bio: String?
    /// Links the profile shows (website field, links in the bio).
    public var links: [String]
    /// A category the platform shows ("Government Organization", "Sekolah").
    public var category: String?
    /// Named profile fields (Mastodon's fields, Facebook's intro lines), by label.
    public var fields: [String: String]
    public var profileURL: String?
    /// When this profile was read (UTC).
    public var observedAt: Date?

    public init(
        platform: String, accountID: String? = nil, handle: String? = nil, displayName: String? = nil, bio: String? = nil,
        links: [String] = [], category: String? = nil, fields: [String: String] = [:], profileURL: String? = nil,
        observedAt: Date? = nil
    ) {
        self.platform = platform
        self.accountID = accountID
        self.handle = handle
        self.displayName = displayName
        self.bio = bio
        self.links = links
        self.category = category
        self.fields = fields
        self.profileURL = profileURL
        self.observedAt = observedAt
    }

    /// The key an identity is kept under: `platform:accountID`, else `platform:@handle`
    /// (lowercased, without a leading `@`); nil when the profile names neither.
    public var key: String? { AccountKey.make(platform: platform, accountID: accountID, handle: handle) }

    /// The profile as an item author, for judging its own words.
    public var author: Author {
        Author(name: displayName, handle: handle, profileURL: profileURL, bio: bio, accountID: accountID)
    }
}

/// Keys for accounts across platforms, in one spelling.
public enum AccountKey {
    public static func make(platform: String, accountID: String?, handle: String?) -> String? {
        let platform = platform.lowercased()
        if let accountID, !accountID.isEmpty { return "\(platform):\(accountID)" }
        guard var handle, !handle.isEmpty else { return nil }
        if handle.hasPrefix("@") { handle.removeFirst() }
        return handle.isEmpty ? nil : "\(platform):@\(handle.lowercased())"
    }
}

extension Item {
    /// The key of the account that wrote the item (see `AccountKey`), when the item names one.
    public var authorAccountKey: String? {
        AccountKey.make(platform: platform, accountID: author?.accountID, handle: author?.handle)
    }
}
