/// Indonesian verb affixation, so a pack lists a root once (`pilih`) and matches the forms
/// people write (`memilih`, `pilihlah`, `dipilih`, `pilihkan`, `milih`).
///
/// The mechanism is generation, not stemming: at compile time each root marked
/// `affixes: verb` expands into its affixed forms, which enter the trie as ordinary words and
/// point back to the root term. Matching stays exact and cheap, and every match can be
/// explained as "term `pilih`, written `memilih`".
///
/// Forms generated for a root R:
/// - suffixes: R-lah, R-kan, R-kanlah, R-i, R-in (colloquial), R-nya
/// - di-: di-R, di-R-kan, di-R-i, di-R-in
/// - me(N)-: the nasal prefix with its assimilation (p→m: pilih→memilih; t→n; s→ny; k→ng;
///   b, f→mem; c, d, j, z→men; g, h, vowels→meng; l, m, n, r, w, y→me), with "", -kan, -i,
///   -kanlah; the k/p/t/s-initial roots also keep the unassimilated colloquial form
///   (mengkampanyekan)
/// - colloquial N- without me- (milih, nyoblos, ngedukung/ndukung): the assimilated stem,
///   nge-R and, for d/j roots, n-R.
/// - ter-R
/// Nouns (dukungan, pemilih) are not generated: they often mean something else
/// (pilihan = choice) and are listed in a pack where they are wanted.
enum Affixes {
    static func verbForms(of root: String) -> [String] {
        guard let first = root.first, root.count >= 3 else { return [root] }
        var stems: [String] = []  // me-less nasal stems: "milih", "nyoblos"
        var meForms: [String] = []
        let rest = String(root.dropFirst())
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        switch first {
        case "p":
            meForms = ["mem" + rest, "mem" + root]
            stems = ["m" + rest]
        case "t":
            meForms = ["men" + rest, "men" + root]
            stems = ["n" + rest]
        case "s":
            meForms = ["meny" + rest, "men" + root]
            stems = ["ny" + rest]
        case "k":
            meForms = ["meng" + rest, "meng" + root]
            stems = ["ng" + rest]
        case "b", "f":
            meForms = ["mem" + root]
        case "c":
            meForms = ["men" + root]
            stems = ["ny" + rest]
        case "d", "j", "z":
            meForms = ["men" + root]
            stems = ["n" + root]
        case "g", "h":
            meForms = ["meng" + root]
        case _ where vowels.contains(first):
            meForms = ["meng" + root]
            stems = ["ng" + root]
        default:
            meForms = ["me" + root]
        }
        var forms: [String] = [root]
        forms += ["lah", "kan", "kanlah", "i", "in", "nya"].map { root + $0 }
        forms += ["", "kan", "i", "in"].map { "di" + root + $0 }
        for me in meForms { forms += ["", "kan", "i", "kanlah"].map { me + $0 } }
        for stem in stems { forms += ["", "in", "kan"].map { stem + $0 } }
        forms.append("nge" + root)
        forms.append("ter" + root)
        var seen = Set<String>()
        return forms.filter { seen.insert($0).inserted }
    }
}
