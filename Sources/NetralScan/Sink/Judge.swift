import Crypto
import Foundation
import NetralExtract
import NetralModel
import NetralRules

/// An item and the findings the rules gave it.
struct JudgedItem: Sendable {
    var item: Item
    var findings: [Finding]
    /// What the item says of its author in the first person, for the account's later items.
    var learned: [AccountIdentity] = []

    /// Whether the rules saw an ASN identity of the author's own, or a campaign signal (a
    /// candidate, party, slogan, gesture or call to vote): what makes its pictures worth reading.
    var asnAuthor = false
    var campaignSignal = false

    init(item: Item, evaluation: Evaluation, learned: [AccountIdentity] = []) {
        self.item = item
        findings = evaluation.findings
        self.learned = learned
        guard evaluation.hitCount > 0 else { return }
        let own: Set<IdentityStanding> = [.ownField, .firstPerson, .handleCorroborated]
        asnAuthor = evaluation.identity(limit: Self.hitsLooked).contains { own.contains($0.standing) }
        campaignSignal = evaluation.hits(limit: Self.hitsLooked).contains { Self.campaignKinds.contains($0.kind) }
    }

    /// Hits looked at for the two flags (a page that repeats a phrase has as many hits as words).
    static let hitsLooked = 500
    static let campaignKinds: Set<String> = ["candidate", "party", "slogan", "support", "gesture"]
}

/// A capture's items, judged: what the sink files and records.
struct JudgedPage: Sendable {
    var items: [JudgedItem]
    /// What extraction could not read (a broken entry): logged, never lost silently.
    var warnings: [String]
}

/// Extraction and judging, and nothing else: touches no shared state, so the `page` source
/// runs it in the concurrent fetch stage and the sink in the judging stage.
struct Judge: Sendable {
    let pipeline: CapturePipeline
    let identities: AccountIdentityReader
    /// The packs' digests, hashed after a body: new rules judge an old page again.
    private let packDigests: [Data]

    var ruleSet: RuleSet { pipeline.ruleSet }

    init(pipeline: CapturePipeline) {
        self.pipeline = pipeline
        identities = AccountIdentityReader(ruleSet: pipeline.ruleSet)
        packDigests = pipeline.ruleSet.packs.map { Data($0.reference.sha256.utf8) }
    }

    /// SHA-256 of the body and of the packs that judged it, as lowercase hex.
    func digest(_ capture: Capture) -> String {
        var hasher = SHA256()
        hasher.update(data: capture.body)
        return digest(continuing: hasher)
    }

    /// The digest of a body already fed to `hasher`, then of the packs.
    func digest(continuing hasher: SHA256) -> String {
        var hasher = hasher
        for digest in packDigests { hasher.update(data: digest) }
        return Hex.string(hasher.finalize())
    }

    /// Extracts a capture's items (unless `given`) and judges each. The target's `subject`
    /// describes every item's author; an account's bio (`author`) belongs to each of its posts
    /// that names no other author.
    func judge(
        _ capture: Capture, kind: SourceKind? = nil, items given: [Item]? = nil, author: Author? = nil, target: Target,
        workspace: inout RuleSet.Workspace
    ) throws -> JudgedPage {
        var items: [Item]
        var warnings: [String] = []
        if let given {
            items = given
        } else {
            let extraction = try pipeline.extract(capture, kind: kind ?? CapturePipeline.kind(of: capture), profileName: target.profile)
            warnings = extraction.warnings
            items = extraction.items
        }
        var judged: [JudgedItem] = []
        judged.reserveCapacity(items.count)
        for var item in items {
            if let subject = target.subject { item.subject = subject }
            if let author, item.author?.bio == nil, item.author?.handle == nil || item.author?.handle == author.handle {
                item.author = Author(
                    name: item.author?.name ?? author.name, handle: item.author?.handle ?? author.handle,
                    profileURL: item.author?.profileURL ?? author.profileURL, bio: author.bio,
                    accountID: item.author?.accountID ?? author.accountID)
            }
            let evaluation = ruleSet.evaluate(item, workspace: &workspace)
            judged.append(JudgedItem(item: item, evaluation: evaluation, learned: identities.learn(from: item, evaluation: evaluation)))
        }
        return JudgedPage(items: judged, warnings: warnings)
    }

    /// Judges an item again with the identities the state holds of its account (and, for a
    /// share, of the sharer) when they are not the ones it was judged with.
    func apply(_ known: [AccountIdentity], to judged: inout JudgedItem, workspace: inout RuleSet.Workspace) {
        let applying = known.filter { $0.applies(at: judged.item.publishedAt) && $0.sourceURL != judged.item.identityURL }
        guard applying != judged.item.accountIdentities else { return }
        var item = judged.item
        item.accountIdentities = applying
        // Judged again whole, so the picture policy sees the identity too.
        judged = JudgedItem(item: item, evaluation: ruleSet.evaluate(item, workspace: &workspace), learned: judged.learned)
    }
}

/// Lowercase hex of digests, without a formatter per byte.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var characters: [UInt8] = []
        characters.reserveCapacity(64)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
