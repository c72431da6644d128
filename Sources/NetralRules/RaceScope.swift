import Foundation
import NetralModel

/// Which race an item is about, so that a ballot number or a common name counts only for the
/// race it can mean. An ASN in Sleman writing "coblos nomor 2" speaks of Sleman's pair 2, not of
/// the pair 2 of the 544 other races; "Budi Santoso" is a candidate only where the item also says
/// which race (its region, its party, `caleg`).
///
/// Three things in the packs take part (see Rules/README.md, "Races"):
/// - a `race` signal with a `number` is a ballot-number phrase (`nomor urut 2`, `coblos 02`);
/// - a candidate signal's `context` names the signals that say which race it runs in (its region,
///   for a legislative candidate also its party); its terms marked `needs: context` count only in
///   an item that also has a hit of one of them, or of one of its own terms that needs none;
/// - a candidate signal with a `number` takes a ballot-number phrase of that number as its own hit
///   when every group of its `number_context` (default: `context`, as one group) has a hit, or the
///   item names the candidate itself; with neither (a national race) when the item is dated
///   inside the pack's window. Never when the item is dated outside the pack's window: a number
///   names a pair of one election only.
///
/// Everything here runs after qualifiers (a cancelled hit names no race) and only for items with
/// a ballot-number phrase or a context-needing term: other items pay one pass over their hits.
public struct RaceScope: Sendable {
    /// Per matcher entry: the term counts only with its signal's context.
    let entryNeedsContext: [Bool]
    /// Per signal: the ballot number a `race` signal's terms name (0: none).
    let ballotNumber: [Int32]
    /// Per signal: the signals of its `context`.
    let context: [[Int32]]
    /// Per signal: its ballot number, for candidate signals whose number is scoped (0: none).
    let candidateNumber: [Int32]
    /// Per signal: how many groups its number context has (0: a national race, scoped by date).
    let groupCount: [Int8]
    /// Per signal: the candidate signals whose number context group lists it, with the group.
    let numberScopes: [[(signal: Int32, group: Int8)]]
    /// Candidate signals with a scoped number and no number context (national races), by number.
    let nationalByNumber: [Int32: [Int32]]
    /// Per signal: the race signals that include it, directly or through others.
    let includedIn: [[Int32]]
    /// Whether any pack uses any of this: without it, judging skips the pass.
    let isUsed: Bool

    /// The item metadata key for the target's configured region (`region:` in netral.yaml): the
    /// scan sets it, and its race hits scope the account's numbers and names.
    public static let targetRegionKey = "target_region"

    /// Groups a number context may have (a bit each in `resolve`).
    static let maximumGroups = 8

    init(signals: [(signal: Signal, pack: Int?)], signalIndex: [String: Int], entryNeedsContext: [Bool]) {
        self.entryNeedsContext = entryNeedsContext
        func indices(_ names: [String]) -> [Int32] { names.compactMap { signalIndex[$0].map(Int32.init) } }
        var ballotNumber = Array(repeating: Int32(0), count: signals.count)
        var context = Array(repeating: [Int32](), count: signals.count)
        var candidateNumber = Array(repeating: Int32(0), count: signals.count)
        var groupCount = Array(repeating: Int8(0), count: signals.count)
        var numberScopes = Array(repeating: [(signal: Int32, group: Int8)](), count: signals.count)
        var nationalByNumber: [Int32: [Int32]] = [:]
        for (position, entry) in signals.enumerated() {
            let signal = entry.signal
            if signal.kind == .race, let number = signal.number { ballotNumber[position] = Int32(number) }
            guard signal.kind == .candidate else { continue }
            context[position] = indices(signal.context)
            guard let number = signal.number, number > 0 else { continue }
            candidateNumber[position] = Int32(number)
            let groups = signal.numberContext ?? (signal.context.isEmpty ? [] : [signal.context])
            groupCount[position] = Int8(min(groups.count, Self.maximumGroups))
            if groups.isEmpty { nationalByNumber[Int32(number), default: []].append(Int32(position)) }
            for (group, names) in groups.prefix(Self.maximumGroups).enumerated() {
                for member in Set(indices(names)) { numberScopes[Int(member)].append((Int32(position), Int8(group))) }
            }
        }
        self.ballotNumber = ballotNumber
        self.context = context
        self.candidateNumber = candidateNumber
        self.groupCount = groupCount
        self.numberScopes = numberScopes
        self.nationalByNumber = nationalByNumber
        // Who includes whom, closed over chains (a regency in a district in a province).
        var direct = Array(repeating: [Int32](), count: signals.count)
        for (position, entry) in signals.enumerated() {
            for member in indices(entry.signal.includes) { direct[Int(member)].append(Int32(position)) }
        }
        var includedIn = Array(repeating: [Int32](), count: signals.count)
        for start in signals.indices where !direct[start].isEmpty {
            var seen = Set<Int32>(), stack = direct[start]
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                stack += direct[Int(next)]
            }
            includedIn[start] = seen.sorted()
        }
        self.includedIn = includedIn
        isUsed = entryNeedsContext.contains(true) || ballotNumber.contains { $0 != 0 }
    }

    /// Drops context-needing term hits without their race's context (marked cancelled, so they
    /// count for nothing) and appends a hit of each candidate a ballot-number phrase names in
    /// this item, at the phrase, with `standings` grown to match.
    func resolve(item: Item, hits: inout [RuleSet.LocatedHit], standings: inout RuleSet.Standings,
                 neverCounts: [Bool], facts: RuleSet.SignalFacts) {
        guard isUsed else { return }
        var hasScoped = false, hasBallot = false
        for hit in hits where !standings.cancelled[hit.id] {
            if case .term(let entry) = hit.source, entryNeedsContext[entry] { hasScoped = true }
            if ballotNumber[hit.signal] != 0 { hasBallot = true }
        }
        guard hasScoped || hasBallot else { return }

        // Signals named in the item by a hit that needs no context and was not cancelled.
        var present = Set<Int32>()
        for hit in hits where !standings.cancelled[hit.id] && !neverCounts[hit.signal] {
            if case .term(let entry) = hit.source, entryNeedsContext[entry] { continue }
            present.insert(Int32(hit.signal))
        }
        // A region names what includes it (its province, its electoral district).
        for signal in Array(present) { for container in includedIn[Int(signal)] { present.insert(container) } }
        // A context-needing term counts with its race's context or beside its own signal's
        // other terms; else it is dropped.
        var named = present
        if hasScoped {
            for index in hits.indices where !standings.cancelled[hits[index].id] {
                guard case .term(let entry) = hits[index].source, entryNeedsContext[entry] else { continue }
                let signal = hits[index].signal
                if present.contains(Int32(signal)) || context[signal].contains(where: present.contains) {
                    named.insert(Int32(signal))
                } else {
                    standings.cancelled[hits[index].id] = true
                }
            }
        }
        guard hasBallot else { return }

        // The ballot numbers the item names, and which candidates they stand for here.
        var numbers = Set<Int32>()
        for hit in hits where !standings.cancelled[hit.id] && ballotNumber[hit.signal] != 0 { numbers.insert(ballotNumber[hit.signal]) }
        var groupsHeld: [Int32: UInt8] = [:]
        for signal in present {
            for scope in numberScopes[Int(signal)] where numbers.contains(candidateNumber[Int(scope.signal)]) {
                groupsHeld[scope.signal, default: 0] |= 1 << UInt8(scope.group)
            }
        }
        var chosen = Set<Int32>()
        for (signal, held) in groupsHeld where held == UInt8(truncatingIfNeeded: (1 << Int(groupCount[Int(signal)])) &- 1) {
            chosen.insert(signal)
        }
        for signal in named where candidateNumber[Int(signal)] != 0 && numbers.contains(candidateNumber[Int(signal)]) {
            chosen.insert(signal)
        }
        for number in numbers {
            for signal in nationalByNumber[number] ?? [] where Self.inside(item: item, signal: signal, facts: facts) {
                chosen.insert(signal)
            }
        }
        // A number names a pair of one election only: never outside that election's window.
        chosen = chosen.filter { Self.notOutside(item: item, signal: $0, facts: facts) }
        guard !chosen.isEmpty else { return }
        var byNumber: [Int32: [Int32]] = [:]
        for signal in chosen.sorted() { byNumber[candidateNumber[Int(signal)], default: []].append(signal) }
        // At most as many new hits as the item had: a page listing every pair and every number
        // stays linear in its size.
        let count = hits.count
        var room = max(count, 64)
        for index in 0..<count {
            let phrase = hits[index]
            guard !standings.cancelled[phrase.id], let candidates = byNumber[ballotNumber[phrase.signal]] else { continue }
            for candidate in candidates {
                guard room > 0 else { return }
                room -= 1
                var hit = phrase
                hit.id = hits.count
                hit.signal = Int(candidate)
                hit.source = .ballot(phrase.id)
                hit.nameWords = 0
                hit.openName = false
                hit.punctuationAfter = false
                hits.append(hit)
                standings.cancelled.append(false)
                standings.someoneElse.append(false)
                standings.standing.append(nil)
                standings.marker.append(-1)
            }
        }
    }

    /// The item is dated inside the window of the signal's pack.
    private static func inside(item: Item, signal: Int32, facts: RuleSet.SignalFacts) -> Bool {
        guard let date = item.publishedAt, let pack = facts.packs[Int(signal)], let window = facts.packWindows[pack] else { return false }
        return window.contains(date)
    }

    /// The item is not dated outside the window of the signal's pack.
    private static func notOutside(item: Item, signal: Int32, facts: RuleSet.SignalFacts) -> Bool {
        guard let date = item.publishedAt, let pack = facts.packs[Int(signal)], let window = facts.packWindows[pack] else { return true }
        return window.contains(date)
    }
}
