import Foundation

/// Who is working on which case file, so two reviewers of one desk do not take the same one. A
/// claim is a lease held by the running desk: it lapses after `lifetime` without being renewed,
/// ends with the reviewer's decision or release, and is gone when the desk stops (decisions are
/// what the state keeps; a claim only steers who looks at what).
final class DeskClaims: @unchecked Sendable {
    struct Claim: Sendable, Equatable {
        var reviewer: String
        var since: Date
        var renewed: Date
    }

    /// A claim not renewed (by opening or deciding the case) this long lapses.
    static let lifetime: TimeInterval = 2 * 3600
    /// Claims kept at once; beyond this the stalest lapse first (memory stays bounded).
    static let maxClaims = 10_000

    private let lock = NSLock()
    private var claims: [String: Claim] = [:]

    enum Outcome: Equatable {
        /// Taken (or already held) by this reviewer.
        case taken(Claim)
        /// Held by someone else.
        case heldBy(Claim)
    }

    /// Claims `caseID` for `reviewer` unless another reviewer holds it.
    func claim(_ caseID: String, reviewer: String, now: Date = Date()) -> Outcome {
        lock.withLock {
            if let held = live(caseID, now: now), held.reviewer != reviewer { return .heldBy(held) }
            var claim = claims[caseID].flatMap { $0.reviewer == reviewer && now.timeIntervalSince($0.renewed) <= Self.lifetime ? $0 : nil }
                ?? Claim(reviewer: reviewer, since: now, renewed: now)
            claim.renewed = now
            claims[caseID] = claim
            if claims.count > Self.maxClaims, let stalest = claims.min(by: { $0.value.renewed < $1.value.renewed })?.key {
                claims[stalest] = nil
            }
            return .taken(claim)
        }
    }

    /// Ends `reviewer`'s claim on `caseID` (a claim of someone else stays).
    func release(_ caseID: String, reviewer: String) {
        lock.withLock {
            if claims[caseID]?.reviewer == reviewer { claims[caseID] = nil }
        }
    }

    /// The live claim on `caseID`, renewed when it is `reviewer`'s own.
    func holder(of caseID: String, renewingFor reviewer: String? = nil, now: Date = Date()) -> Claim? {
        lock.withLock {
            guard var claim = live(caseID, now: now) else { return nil }
            if claim.reviewer == reviewer {
                claim.renewed = now
                claims[caseID] = claim
            }
            return claim
        }
    }

    /// Live claims of these case files (for a queue page).
    func holders(of caseIDs: [String], now: Date = Date()) -> [String: Claim] {
        lock.withLock {
            var found: [String: Claim] = [:]
            for id in caseIDs { if let claim = live(id, now: now) { found[id] = claim } }
            return found
        }
    }

    private func live(_ caseID: String, now: Date) -> Claim? {
        guard let claim = claims[caseID] else { return nil }
        if now.timeIntervalSince(claim.renewed) > Self.lifetime {
            claims[caseID] = nil
            return nil
        }
        return claim
    }
}
