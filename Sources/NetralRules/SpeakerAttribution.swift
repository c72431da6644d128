public import NetralModel

/// Why an identity hit does or does not describe the author of an item.
public enum IdentityStanding: String, Sendable, Codable {
    /// In the author's own fields: name, bio, profile fields, or the analyst's subject.
    case ownField = "own_field"
    /// In the text, right after a first-person marker (`saya PNS`, `kami ASN Kukar`) or right
    /// before a marker of the author's own feeling (`seragam PNS boleh khaki, pilihan hati ...`).
    case firstPerson = "first_person"
    /// In the handle, beside other evidence that describes the author.
    case handleCorroborated = "handle_corroborated"
    /// In the handle alone: a name its holder chose (`lurah_sosmed`) does not show an office.
    case handleOnly = "handle_only"
    /// In the text without a first-person marker: about someone else (`perangkat desa dukung ...`).
    case thirdPerson = "third_person"
    /// Cancelled by a qualifier (`pensiunan PNS`, `bukan ASN`, `kasi` as in `jangan kasi kendor`).
    case cancelled
    /// Someone else's identity named by the author (`suami saya PNS`, `atasan saya kepala
    /// dinas`), even in the author's own fields: not the author, but someone a report can name.
    case someoneElse = "someone_else"

    /// Whether the hit counts as the author's identity (the `[self]` scope).
    public var describesAuthor: Bool {
        switch self {
        case .ownField, .firstPerson, .handleCorroborated: true
        case .handleOnly, .thirdPerson, .cancelled, .someoneElse: false
        }
    }

    /// Reviewer-facing reason, in Bahasa Indonesia.
    public var reason: String {
        switch self {
        case .ownField: "di kolom milik penulis (nama, bio, profil, atau subjek analis)"
        case .firstPerson: "penulis menyebut dirinya sendiri (penanda orang pertama)"
        case .handleCorroborated: "di nama akun, didukung bukti identitas lain dari penulis"
        case .handleOnly: "hanya di nama akun: nama akun pilihan sendiri tidak membuktikan jabatan"
        case .thirdPerson: "menyebut orang lain (tanpa penanda orang pertama): bukan identitas penulis"
        case .cancelled: "dibatalkan oleh kata penyerta (pensiunan, mantan, bukan, makna lain)"
        case .someoneElse: "identitas kerabat atau kenalan penulis (suami saya, atasan saya): bukan identitas penulis"
        }
    }
}

/// An identity (`asn`) hit of an item and whether it describes the author.
public struct IdentityEvidence: Sendable, Codable, Equatable {
    public var hit: Hit
    public var standing: IdentityStanding
    /// The first-person marker that attributed the hit, when there is one.
    public var marker: String?
}

/// Qualifiers and speaker markers act on the hits near them in one field. Both are found by
/// sweeping the hits once per marker signal in token order, so the cost is linear in the
/// hits (after one sort), however many markers a page repeats.
struct MarkerSweep {
    /// Hit ids in (text, first token) order, markers before the hits they start with.
    let order: [Int]

    init(_ hits: [RuleSet.LocatedHit], isMarker: (Int) -> Bool) {
        order = hits.indices.sorted { a, b in
            let x = hits[a], y = hits[b]
            if x.text != y.text { return x.text < y.text }
            if x.firstToken != y.firstToken { return x.firstToken < y.firstToken }
            let xm = isMarker(x.signal), ym = isMarker(y.signal)
            if xm != ym { return xm }
            return a < b
        }
    }

    /// Calls `found(hit, marker)` for each hit whose signal `targets` accepts that starts at
    /// most `within` words after the end of a hit of `marker` (or overlaps it), in one field.
    /// Marker hits marked in `skip` (cancelled ones) act on nothing. A hit of a `fillers` signal
    /// inside the reach moves it past the filler (`sy jg ASN`, `aku yo PNS`) and a name right
    /// after it (`kami dari Forum Komunikasi Bantuan Polisi Pamong Praja`), unless the clause
    /// ends after the filler. A marker followed by a name reaches over it: to the comma that
    /// closes it (`Saya Yusuf Hidayat, Sekretaris Desa`), or, for a name without a comma (`Saya
    /// Budi Santoso Kades Mekarjaya`), over its capitalised words until another term starts
    /// (`Saya Dukung Kades ...` is a headline, not a name). A term that `nameTerms` accepts (a
    /// common name that counts only inside its race: `Budi Santoso`) is part of the name and
    /// does not cut it.
    func after(marker: Int, within: Int, targets: [Bool], fillers: [Bool]? = nil, hits: [RuleSet.LocatedHit], skip: [Bool]? = nil,
               nameTerms: ((RuleSet.LocatedHit) -> Bool)? = nil, found: (Int, Int) -> Void) {
        var text = -1
        var reach = Int.min
        var reachMarker = -1
        // While the reach runs over an open name: its first token, and the reach without it.
        var openFrom = Int.max
        var baseReach = Int.min
        for id in order {
            let hit = hits[id]
            if hit.text != text {
                text = hit.text
                reach = Int.min
                reachMarker = -1
                openFrom = .max
            }
            if hit.signal == marker {
                if skip?[id] == true { continue }
                if hit.punctuationAfter && (hit.nameWords == 0 || hit.openName) { continue }
                if hit.lastToken + hit.nameWords + within > reach {
                    reach = hit.lastToken + hit.nameWords + within
                    reachMarker = id
                    openFrom = hit.openName ? hit.lastToken + 1 : .max
                    baseReach = hit.lastToken + within
                }
            } else if targets[hit.signal], hit.firstToken <= reach {
                found(id, reachMarker)
            } else if let fillers, fillers[hit.signal] {
                guard reachMarker >= 0, hit.firstToken <= reach, !(hit.punctuationAfter && (hit.nameWords == 0 || hit.openName)) else { continue }
                reach = max(reach, hit.lastToken + hit.nameWords + within)
                if hit.openName {
                    openFrom = hit.lastToken + 1
                    baseReach = max(baseReach, hit.lastToken + within)
                }
            } else if hit.firstToken >= openFrom, hit.firstToken <= reach, nameTerms?(hit) != true {
                // Another term inside an open name: the capitalised words were not a name.
                reach = max(baseReach, hit.firstToken)
                openFrom = .max
            }
        }
    }

    /// Calls `found(hit, marker)` for each hit of `targets` that ends at most `within` words
    /// before the start of a hit of `marker`, in one field.
    func before(marker: Int, within: Int, targets: [Bool], hits: [RuleSet.LocatedHit], skip: [Bool]? = nil, found: (Int, Int) -> Void) {
        var text = -1
        var reach = Int.max
        var reachMarker = -1
        for id in order.reversed() {
            let hit = hits[id]
            if hit.text != text {
                text = hit.text
                reach = Int.max
                reachMarker = -1
            }
            if hit.signal == marker {
                if skip?[id] == true { continue }
                if hit.firstToken - within < reach {
                    reach = hit.firstToken - within
                    reachMarker = id
                }
            } else if targets[hit.signal], hit.lastToken >= reach {
                found(id, reachMarker)
            }
        }
    }
}
