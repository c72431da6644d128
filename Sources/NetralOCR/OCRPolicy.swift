import Foundation

/// Which pictures are worth reading. OCR costs about half a second a picture, and nearly every
/// picture in a scan belongs to an item no rule could flag: a violation needs an ASN author and
/// a campaign act, so the words in a picture only matter when one of the two is already there.
/// The scan's sink asks `shouldRead` per item, then reads at most `maxImagesPerItem` of its pictures.
public struct OCRPolicy: Sendable, Equatable {
    /// Read the pictures of an item whose author has an ASN identity (a watchlist subject, an
    /// identity found earlier, or one in the item's own text): the picture may hold the campaign act.
    public var readWhenAuthorIsASN: Bool = true
    /// Read the pictures of an item whose text already has a campaign signal (a candidate, party,
    /// slogan or call to vote): the picture may hold the author's ASN identity (a uniform
    /// caption, an office name on a banner).
    public var readWhenCampaignSignal: Bool = true
    /// Read every picture (an analyst's capture folder or a citizen's screenshot given to
    /// `explain`, where the picture is the item).
    public var readEverything: Bool = false
    /// Pictures read per item, in the item's order (a gallery of 20 photos reads its first few).
    public var maxImagesPerItem: Int = 4

    public init() {}

    /// An analyst's own material: every picture is read.
    public static var everything: OCRPolicy {
        var policy = OCRPolicy()
        policy.readEverything = true
        return policy
    }

    public func shouldRead(authorHasASNIdentity: Bool, textHasCampaignSignal: Bool) -> Bool {
        readEverything || (readWhenAuthorIsASN && authorHasASNIdentity) || (readWhenCampaignSignal && textHasCampaignSignal)
    }

    /// The item's pictures to read, in order, duplicates dropped, at most `maxImagesPerItem`;
    /// empty when the item is not worth it.
    public func picturesToRead(_ imageURLs: [String], authorHasASNIdentity: Bool, textHasCampaignSignal: Bool) -> [String] {
        guard shouldRead(authorHasASNIdentity: authorHasASNIdentity, textHasCampaignSignal: textHasCampaignSignal) else { return [] }
        var seen = Set<String>()
        return Array(imageURLs.filter { seen.insert($0).inserted }.prefix(max(0, maxImagesPerItem)))
    }
}

/// One run's OCR allowance, shared by every read of that run: at most `maxImages` recognitions
/// and `maxSeconds` of recognition time. Cache hits are free. Once spent, reads fail with
/// `budgetExhausted` (a clear reason on that item) until the next run makes a new budget.
public final class OCRBudget: @unchecked Sendable {
    public let maxImages: Int
    public let maxSeconds: Double
    private let lock = NSLock()
    private var images = 0
    private var seconds = 0.0

    public init(maxImages: Int = 500, maxSeconds: Double = 600) {
        self.maxImages = maxImages
        self.maxSeconds = maxSeconds
    }

    /// Recognitions started in this run.
    public var imagesRead: Int { lock.withLock { images } }
    /// Seconds spent recognising in this run.
    public var secondsSpent: Double { lock.withLock { seconds } }

    /// Claims one recognition, or says why none is left.
    func claim() throws(OCRError.Kind) {
        let refusal: String? = lock.withLock {
            if images >= maxImages { return "\(maxImages) pictures read" }
            if seconds >= maxSeconds { return "\(Int(maxSeconds)) s of recognition used" }
            images += 1
            return nil
        }
        if let refusal { throw .budgetExhausted(refusal) }
    }

    func spend(_ elapsed: Double) {
        lock.withLock { seconds += elapsed }
    }
}
