/// The one-word terms that tolerate one edit (`fuzzy: true`), indexed so that a text word is
/// compared with few of them: by the UTF-8 length of the text words a term word can match (one
/// byte shorter, as long, one byte longer), and within a length by first byte and by last byte
/// (one edit leaves the first or the last byte of a word of five or more in place).
///
/// The candidates and their words live in memory this object owns, so that comparing a word
/// with them takes no reference count (they are read for most words of five letters or more).
/// Unchecked `Sendable`: nothing here changes after `init`.
final class FuzzyIndex: @unchecked Sendable {
    /// The candidates for a text word of length n are `candidates[buckets[n]]`.
    private let buckets: [Range<Int>]
    /// Each candidate's entry and its word, a slice of `words`.
    private let candidates: UnsafeMutableBufferPointer<(entry: Int32, word: Range<Int>)>
    private let words: UnsafeMutableBufferPointer<UInt8>
    /// Bit n set when a text word of n bytes (n < 64) has candidates: the test made for every word.
    private let lengths: UInt64
    /// Candidate indices by text word length and first byte (`length * 32 + byte & 31`), and by
    /// length and last byte; the lists are flat, each list's start in `firstStarts` and
    /// `lastStarts` (one more entry than there are lists).
    private let firstStarts: UnsafeMutableBufferPointer<Int32>
    private let byFirst: UnsafeMutableBufferPointer<Int32>
    private let lastStarts: UnsafeMutableBufferPointer<Int32>
    private let byLast: UnsafeMutableBufferPointer<Int32>

    /// `byLength[n]`: the fuzzy words (with their entries) a text word of n bytes may be one
    /// edit away from, in the order the terms were compiled.
    init(byLength: [[(entry: Int32, word: [UInt8])]]) {
        var buckets: [Range<Int>] = []
        var candidates: [(entry: Int32, word: Range<Int>)] = []
        var words: [UInt8] = []
        for bucket in byLength {
            let first = candidates.count
            for candidate in bucket {
                candidates.append((candidate.entry, words.count..<(words.count + candidate.word.count)))
                words += candidate.word
            }
            buckets.append(first..<candidates.count)
        }
        self.buckets = buckets
        self.candidates = .allocate(capacity: candidates.count)
        _ = self.candidates.initialize(from: candidates)
        self.words = .allocate(capacity: words.count)
        _ = self.words.initialize(from: words)
        var lengths: UInt64 = 0
        for (length, bucket) in buckets.enumerated() where length >= 5 && length < 64 && !bucket.isEmpty { lengths |= 1 << UInt64(length) }
        self.lengths = lengths
        var byFirst = [[Int32]](repeating: [], count: buckets.count * 32)
        var byLast = byFirst
        for (length, bucket) in buckets.enumerated() {
            for index in bucket {
                let word = words[candidates[index].word]
                byFirst[length * 32 + Int(word.first! & 31)].append(Int32(index))
                byLast[length * 32 + Int(word.last! & 31)].append(Int32(index))
            }
        }
        func flatten(_ lists: [[Int32]]) -> (UnsafeMutableBufferPointer<Int32>, UnsafeMutableBufferPointer<Int32>) {
            var starts: [Int32] = [0]
            for list in lists { starts.append(starts.last! + Int32(list.count)) }
            let flat = Array(lists.joined())
            let startsBuffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: starts.count)
            _ = startsBuffer.initialize(from: starts)
            let flatBuffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(flat.count, 1))
            _ = flatBuffer.initialize(from: flat)
            return (startsBuffer, flatBuffer)
        }
        (firstStarts, self.byFirst) = flatten(byFirst)
        (lastStarts, self.byLast) = flatten(byLast)
    }

    deinit {
        candidates.deallocate()
        words.deallocate()
        firstStarts.deallocate()
        byFirst.deallocate()
        lastStarts.deallocate()
        byLast.deallocate()
    }

    /// Whether no term is fuzzy.
    var isEmpty: Bool { buckets.isEmpty }

    /// Whether a text word of `length` bytes has candidates.
    @inline(__always)
    func hasCandidates(length: Int) -> Bool {
        if length < 64 { return lengths >> UInt64(length) & 1 != 0 }
        return length < buckets.count && !buckets[length].isEmpty
    }

    /// Appends `(token, entry)` to `matches` for every candidate `word` (lowercase) is within
    /// one edit of, in entry order. Only for a word that `hasCandidates(length:)`.
    @inline(__always)
    func appendMatches(of word: UnsafeBufferPointer<UInt8>, token: Int, to matches: inout [(token: Int, entry: Int32)]) {
        let length = word.count
        let words = UnsafeBufferPointer(self.words)
        let first = word[0], last = word[length - 1]
        let found = matches.count
        let firstList = length * 32 + Int(first & 31)
        for position in Int(firstStarts[firstList])..<Int(firstStarts[firstList + 1]) {
            let candidate = candidates[Int(byFirst[position])]
            let candidateWord = UnsafeBufferPointer(rebasing: words[candidate.word])
            if candidateWord[0] == first, Self.withinOneEdit(candidateWord, word) { matches.append((token, candidate.entry)) }
        }
        let lastList = length * 32 + Int(last & 31)
        for position in Int(lastStarts[lastList])..<Int(lastStarts[lastList + 1]) {
            let candidate = candidates[Int(byLast[position])]
            let candidateWord = UnsafeBufferPointer(rebasing: words[candidate.word])
            // Those sharing the first byte too were compared above.
            if candidateWord[candidateWord.count - 1] == last, candidateWord[0] != first,
               Self.withinOneEdit(candidateWord, word) { matches.append((token, candidate.entry)) }
        }
        // In the order of the terms, as one pass over the candidates gave them.
        if matches.count - found > 1 { matches[found...].sort { $0.entry < $1.entry } }
    }

    /// True when `a` and `b` differ by one insertion, deletion, substitution or swap of neighbours.
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in withinOneEdit(x, y) } }
    }

    static func withinOneEdit(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        if abs(x.count - y.count) > 1 { return false }
        // One edit leaves the first or the last byte in place: a quick refusal.
        if x.count >= 2, y.count >= 2, x[0] != y[0], x[x.count - 1] != y[y.count - 1] { return false }
        if x.count == y.count {
            var first = -1, second = -1, differences = 0
            for index in 0..<x.count where x[index] != y[index] {
                differences += 1
                if differences > 2 { return false }
                if first < 0 { first = index } else { second = index }
            }
            if differences == 0 { return false }
            if differences == 1 { return true }
            return second == first + 1 && x[first] == y[second] && x[second] == y[first]
        }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        var i = 0, j = 0, skipped = false
        while i < short.count, j < long.count {
            if short[i] == long[j] {
                i += 1
                j += 1
            } else if skipped {
                return false
            } else {
                skipped = true
                j += 1
            }
        }
        return true
    }
}
