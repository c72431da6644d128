/// An account's interactions with one post of a campaign account the operator registered (a
/// `campaign-account` target): the item is the interaction, its author the account that
/// interacted. Kept in the item's metadata under `ItemKey.interaction` (the kinds,
/// space-separated), `interactionPost` and `interactionAccount`, so it reaches `item.json` unchanged.
public struct CampaignInteraction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A reply to the post (Mastodon reply, Bluesky reply).
        case reply
        /// A boost (Mastodon) or repost (Bluesky) of the post.
        case share
        /// A favourite (Mastodon) or like (Bluesky) of the post.
        case like

        /// Reviewer-facing verb, in Bahasa Indonesia.
        public var verb: String {
            switch self {
            case .reply: "membalas"
            case .share: "membagikan ulang"
            case .like: "menyukai"
            }
        }
    }

    /// What the account did, in listing order, without repeats (a boost and a favourite of
    /// one post are one interaction item).
    public var kinds: [Kind]
    /// The campaign post's permalink.
    public var post: String
    /// The campaign account's handle (`@tim.pemenangan@sosial.example`, `@tim.bsky.example`).
    public var campaignAccount: String

    public init(kinds: [Kind], post: String, campaignAccount: String) {
        var seen = Set<Kind>()
        self.kinds = kinds.filter { seen.insert($0).inserted }
        self.post = post
        self.campaignAccount = campaignAccount
    }

    /// "membagikan ulang dan menyukai kiriman akun kampanye @tim (https://...)".
    public var description: String {
        let verbs = kinds.map(\.verb)
        let said = verbs.count > 1 ? verbs.dropLast().joined(separator: ", ") + " dan " + verbs.last! : verbs.joined()
        return "\(said) kiriman akun kampanye \(campaignAccount) (\(post))"
    }

    /// The metadata entries that carry this interaction on an item.
    public var metadata: [String: String] {
        [
            ItemKey.interaction: kinds.map(\.rawValue).joined(separator: " "), ItemKey.interactionPost: post,
            ItemKey.interactionAccount: campaignAccount,
        ]
    }
}

extension Item {
    /// The interaction with a campaign account's post this item records, if it is one.
    public var campaignInteraction: CampaignInteraction? {
        get {
            guard let listed = metadata[ItemKey.interaction], let post = metadata[ItemKey.interactionPost],
                let account = metadata[ItemKey.interactionAccount]
            else { return nil }
            let kinds = listed.split(separator: " ").compactMap { CampaignInteraction.Kind(rawValue: String($0)) }
            return kinds.isEmpty ? nil : CampaignInteraction(kinds: kinds, post: post, campaignAccount: account)
        }
        set {
            for key in [ItemKey.interaction, ItemKey.interactionPost, ItemKey.interactionAccount] { metadata[key] = nil }
            if let newValue { metadata.merge(newValue.metadata) { _, new in new } }
        }
    }
}
