import Foundation
public import NetralYAML

/// `netral rules generate`: rule packs for every race of an election, built from KPU's
/// candidate lists (see `KPUInput`) and an overlay of words people add (see
/// `GeneratorOverlay`). The output is deterministic: the same input gives byte-identical files.
///
/// What it writes (Rules/pemilu-2024/README.md has the details):
/// - `wilayah.yaml`: every province, regency and city as a `race` signal (with its common
///   forms: `Kab. Sleman`, `Pemkot Yogyakarta`, `Jogja`), qualifiers so that `Kota Bogor` does
///   not also name `Kabupaten Bogor`, and the legislative bodies (`DPR RI`, `caleg`, `DPD RI`);
/// - `nomor-urut.yaml`: ballot-number phrases (`nomor urut 2`, `coblos 02`, `cabup nomor dua`);
/// - `pilkada-2024-<province>.yaml`: the governor, regent and mayor pairs of a province;
/// - `dpr-2024-<province>.yaml`, `dpd-2024.yaml`: the legislative candidates.
public enum PackGenerator {
    /// The first line of every generated file; `write` replaces only files that start with it.
    public static let header = "# Dibuat oleh `netral rules generate`: jangan disunting di sini."

    /// Reads the KPU lists and the overlay and builds the packs.
    public static func generate(kpuDirectory: String, overlayDirectory: String) throws(DiagnosticsError) -> GeneratedPacks {
        let overlay = try GeneratorOverlay.read(directory: overlayDirectory)
        let input = try KPUInput.read(directory: kpuDirectory, pilkadaFolder: overlay.pilkadaFolder,
                                      legislativeFolder: overlay.legislativeFolder, vocabulary: overlay.names)
        var packs = generate(input: input, overlay: overlay)
        packs.warnings = input.warnings + packs.warnings
        return packs
    }

    static func generate(input: KPUInput, overlay: GeneratorOverlay) -> GeneratedPacks {
        var builder = PackBuilder(input: input, overlay: overlay)
        return builder.build()
    }
}

/// The generated files, not yet written.
public struct GeneratedPacks: Sendable {
    public struct File: Sendable, Equatable {
        /// Relative to the output folder.
        public var path: String
        public var text: String
    }

    public var files: [File] = []
    /// Records skipped and overlay entries that matched nothing.
    public var warnings: [Diagnostic] = []
    /// One line per file: what it holds.
    public var summary: [String] = []

    /// Writes every file into `directory` (created if missing), each atomically (a temporary
    /// file renamed into place), so a file is either the old or the new one. A file that exists and
    /// does not start with `PackGenerator.header` is someone's own: nothing is written then.
    /// Returns the files whose content changed.
    public func write(to directory: String) throws(DiagnosticsError) -> [String] {
        let manager = FileManager.default
        var refused: [Diagnostic] = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file.path)
            if let existing = manager.contents(atPath: path), !existing.starts(with: Data(PackGenerator.header.utf8)) {
                refused.append(Diagnostic(file: path, line: 1, column: 1, message: "exists and was not written by netral rules generate; move it away first"))
            }
        }
        guard refused.isEmpty else { throw DiagnosticsError(refused) }
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticsError([Diagnostic(file: directory, line: 1, column: 1, message: "cannot create folder: \(error.localizedDescription)")])
        }
        var changed: [String] = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file.path)
            let data = Data(file.text.utf8)
            if manager.contents(atPath: path) == data { continue }
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
                changed.append(file.path)
            } catch {
                throw DiagnosticsError([Diagnostic(file: path, line: 1, column: 1, message: "cannot write: \(error.localizedDescription)")])
            }
        }
        return changed
    }

    /// The files whose content in `directory` differs from the generated one (or is missing).
    public func differences(in directory: String) -> [String] {
        files.filter { file in
            FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(file.path)) != Data(file.text.utf8)
        }.map(\.path)
    }
}

/// A signal as the generator writes it.
struct SignalOut {
    var name: String
    var kind: String
    var label: String
    var number: Int?
    var context: [String] = []
    var numberContext: [[String]]?
    var cancels: String?
    var includes: [String] = []
    var terms: [GeneratorOverlay.TermSpec]
}

/// A legislative candidate as one row of a pack's `legislators:` table.
struct LegislatorRow {
    var signal: String
    var number: Int
    var party: String?
    var district: String
    var label: String
    var names: [String]
}

/// Builds every pack from the input (one use).
struct PackBuilder {
    let input: KPUInput
    let overlay: GeneratorOverlay
    let forms: NameForms
    var warnings: [Diagnostic] = []
    var summary: [String] = []
    /// Regions by code.
    var regions: [String: KPUInput.Region] = [:]
    /// Regency and city codes by province.
    var children: [String: [String]] = [:]

    init(input: KPUInput, overlay: GeneratorOverlay) {
        self.input = input
        self.overlay = overlay
        var names: [CandidateName] = []
        for pair in input.pairs where !pair.isEmptyBox { names += [pair.head, pair.deputy] }
        names += input.dpr.map(\.name) + input.dpd.map(\.name)
        forms = NameForms(vocabulary: overlay.names, names: names)
        for region in input.regions {
            regions[region.code] = region
            if region.level != .province { children[region.province, default: []].append(region.code) }
        }
        for province in children.keys { children[province]!.sort() }
    }

    mutating func build() -> GeneratedPacks {
        var files: [GeneratedPacks.File] = []
        files.append(regionPack())
        files.append(ballotPack())
        files += pilkadaPacks()
        files += legislativePacks()
        for (key, position) in overlay.racePositions.sorted(by: { $0.key < $1.key }) where !usedOverlay.contains(key) {
            warnings.append(position.diagnostic("overlay entry '\(key)' matches nothing in the KPU lists; not used"))
        }
        return GeneratedPacks(files: files, warnings: warnings, summary: summary)
    }

    /// Overlay entries used, to report the others.
    var usedOverlay: Set<String> = []

    // MARK: - Regions and bodies

    static func regionSignal(_ code: String) -> String { "wilayah-\(code)" }

    func regionLabel(_ region: KPUInput.Region) -> String {
        let name = Self.titleCased(region.name)
        switch region.level {
        case .province: return "Provinsi \(name)"
        case .regency: return "Kabupaten \(name), \(regionLabel(regions[region.province]).replacingOccurrences(of: "Provinsi ", with: ""))"
        case .city: return "Kota \(name), \(regionLabel(regions[region.province]).replacingOccurrences(of: "Provinsi ", with: ""))"
        }
    }

    func regionLabel(_ region: KPUInput.Region?) -> String { region.map(regionLabel) ?? "" }

    /// A region's terms: its name with each prefix of its level, the name alone (unless it is
    /// an ordinary word), and the overlay's aliases.
    mutating func regionTerms(_ region: KPUInput.Region) -> [String] {
        var terms: [String] = []
        for prefix in overlay.regionPrefixes[region.level] ?? [] { terms.append("\(prefix) \(region.name)") }
        let words = region.name.split(separator: " ")
        if !(words.count == 1 && overlay.regionOrdinaryWords.contains(region.name)) { terms.append(region.name) }
        if let alias = overlay.regionAliases[region.code] {
            if alias.name == region.name || alias.name == "kota \(region.name)" {
                terms += alias.terms
                usedOverlay.insert("alias:" + region.code)
            } else {
                usedOverlay.insert("alias:" + region.code)
                if let position = overlay.racePositions["alias:" + region.code] {
                    warnings.append(position.diagnostic("alias \(region.code) names '\(alias.name)' but KPU calls \(region.code) '\(region.name)'; not used"))
                }
            }
        }
        return Self.distinct(terms)
    }

    mutating func regionPack() -> GeneratedPacks.File {
        let ordered = input.regions.sorted { $0.code < $1.code }
        var termsByRegion: [String: [String]] = [:]
        for region in ordered { termsByRegion[region.code] = regionTerms(region) }
        // Which region owns each term, by its matcher words.
        var owners: [String: [String]] = [:]
        for region in ordered {
            for term in termsByRegion[region.code]! { owners[Self.key(term), default: []].append(region.code) }
        }
        // A longer name of another region that contains this one's ("Kota Bogor" holds "Bogor"
        // of Kabupaten Bogor; "Papua Barat" holds "Papua") cancels this region's hit inside it,
        // unless that region lies inside this one ("Lampung Selatan" is in Lampung).
        var ownKeys: [String: Set<String>] = [:]
        for region in ordered { ownKeys[region.code] = Set(termsByRegion[region.code]!.map(Self.key)) }
        var qualifierTerms: [String: Set<String>] = [:]
        for region in ordered {
            for term in termsByRegion[region.code]! {
                let words = GeneratorOverlay.normalized(term)
                guard words.count >= 2 else { continue }
                for length in 1..<words.count {
                    for start in 0...(words.count - length) {
                        let part = words[start..<(start + length)].joined(separator: " ")
                        for owner in owners[part] ?? [] where owner != region.code && !(region.code.hasPrefix(owner)) {
                            if ownKeys[owner]!.contains(Self.key(term)) { continue }
                            qualifierTerms[owner, default: []].insert(term)
                        }
                    }
                }
            }
        }
        var signals: [SignalOut] = []
        for region in ordered {
            // A province includes its regencies and cities: naming Sleman names DI Yogyakarta.
            let includes = region.level == .province ? (children[region.code] ?? []).map(Self.regionSignal) : []
            signals.append(SignalOut(name: Self.regionSignal(region.code), kind: "race", label: regionLabel(region), includes: includes,
                                     terms: termsByRegion[region.code]!.map { .init(text: $0) }))
        }
        var qualifiers = 0
        for region in ordered {
            guard let terms = qualifierTerms[region.code], !terms.isEmpty else { continue }
            qualifiers += 1
            signals.append(SignalOut(name: "bukan-" + Self.regionSignal(region.code), kind: "qualifier",
                                     label: "Nama wilayah lain yang memuat nama \(regionLabel(region))",
                                     cancels: Self.regionSignal(region.code), terms: terms.sorted().map { .init(text: $0) }))
        }
        for (key, body) in overlay.bodies.sorted(by: { $0.key < $1.key }) {
            signals.append(SignalOut(name: "lembaga-\(key)", kind: "race", label: body.label, terms: Self.distinct(body.terms).map { .init(text: $0) }))
        }
        let text = Self.pack(name: "wilayah", version: overlay.elections["pilkada"]?.version ?? "1", title: "Wilayah dan lembaga pemilihan",
                             window: nil, comment: """
                             Provinsi, kabupaten dan kota (kode Kemendagri) dengan bentuk namanya, dan lembaga yang
                             dipilih. Sinyal `race` tidak berarti apa-apa sendirian: ia menunjukkan pemilihan mana yang
                             dimaksud sebuah nomor urut atau nama calon yang umum.
                             """, signals: signals, examples: [])
        summary.append("wilayah.yaml: \(ordered.count) wilayah, \(qualifiers) penanda nama wilayah lain, \(overlay.bodies.count) lembaga")
        return .init(path: "wilayah.yaml", text: text)
    }

    // MARK: - Ballot numbers

    static func ballotSignal(_ number: Int) -> String { "nomor-urut-\(number)" }

    /// The phrases that name a candidate by number (not those that are a call to vote): a
    /// candidate of some race, whichever it is (`paslon 02`, `cagub nomor 1`).
    func candidateByNumberTerms(_ number: Int) -> [String] {
        let ballot = overlay.ballot
        guard let words = ballot.words[number] else { return [] }
        let digits = ["\(number)"] + (number < 10 ? ["0\(number)"] : [])
        var terms: [String] = []
        for phrase in ballot.phrases { for form in digits + words { terms.append("\(phrase) \(form)") } }
        if number < 10 { for team in ballot.teams { terms.append("\(team) 0\(number)") } }
        for role in ballot.roles {
            for form in digits { terms.append("\(role) \(form)") }
            for connector in ["nomor", "no", "nomer"] { for form in digits + words { terms.append("\(role) \(connector) \(form)") } }
        }
        return terms
    }

    func ballotTerms(_ number: Int) -> [String] {
        let ballot = overlay.ballot
        // Numbers without words (above 10) are on long DPD ballots: their roles, "nomor urut",
        // and a vote verb with "nomor".
        guard ballot.words[number] != nil else {
            var terms = ["nomor urut \(number)", "no urut \(number)"]
            for role in ballot.largeNumberRoles { for connector in ["", "nomor ", "no "] { terms.append("\(role) \(connector)\(number)") } }
            for verb in ballot.digitVerbs { terms.append("\(verb) nomor \(number)") }
            return Self.distinct(terms)
        }
        let digits = ["\(number)"] + (number < 10 ? ["0\(number)"] : [])
        let words = ballot.words[number] ?? []
        let connectors = ["nomor", "no", "nomer"]
        var terms: [String] = []
        for phrase in ballot.phrases { for form in digits + words { terms.append("\(phrase) \(form)") } }
        if number < 10 { for team in ballot.teams { terms.append("\(team) 0\(number)") } }
        // Roles of every race for the numbers people write in words; the long DPD ballots' too.
        let roles = (ballot.words[number] != nil ? ballot.roles : []) + ballot.largeNumberRoles
        for role in roles {
            for form in digits { terms.append("\(role) \(form)") }
            for connector in connectors { for form in digits + words { terms.append("\(role) \(connector) \(form)") } }
        }
        for verb in ballot.verbs {
            for connector in connectors { for form in digits + words { terms.append("\(verb) \(connector) \(form)") } }
            if number < 10 { terms.append("\(verb) 0\(number)") }
        }
        for verb in ballot.digitVerbs { terms.append("\(verb) \(number)") }
        return Self.distinct(terms)
    }

    mutating func ballotPack() -> GeneratedPacks.File {
        let numbers = input.pairs.map(\.number) + input.dpr.map(\.number) + input.dpd.map(\.number) + [3]
        let highest = numbers.max() ?? 3
        var signals: [SignalOut] = []
        var terms = 0
        for number in 1...highest {
            let list = ballotTerms(number)
            terms += list.count
            signals.append(SignalOut(name: Self.ballotSignal(number), kind: "race", label: "Nomor urut \(number)", number: number,
                                     terms: list.map { .init(text: $0) }))
        }
        // The same phrases (without calls to vote) say that some candidate is meant, as the
        // hand-written packs' `paslon 02` did: a candidate hit even where the race is unknown.
        let generic = Self.distinct((1...highest).flatMap(candidateByNumberTerms))
        signals.append(SignalOut(name: "calon-bernomor-urut", kind: "candidate",
                                 label: "Pasangan calon atau calon yang disebut dengan nomor urutnya (pemilihannya tidak disebut)",
                                 terms: generic.map { .init(text: $0) }))
        let text = Self.pack(name: "nomor-urut", version: overlay.elections["pilkada"]?.version ?? "1", title: "Nomor urut di surat suara",
                             window: nil, comment: """
                             Frasa nomor urut. Sebuah nomor menjadi kecocokan calon tertentu hanya bila kiriman juga
                             menyebut wilayah pemilihannya atau nama calonnya (untuk caleg: partai dan daerah
                             pemilihannya), dan tidak bertanggal di luar masa pemilihannya; untuk pilpres: bertanggal di
                             dalam masanya. `calon-bernomor-urut` hanya mencatat bahwa sebuah calon disebut dengan
                             nomornya, dari pemilihan mana pun. Nomor sendirian ("RT 02", "kelas 3") tidak ada di sini.
                             """, signals: signals, examples: [])
        summary.append("nomor-urut.yaml: nomor 1-\(highest), \(terms) frasa")
        return .init(path: "nomor-urut.yaml", text: text)
    }

    // MARK: - Pilkada

    enum RaceKind: String { case governor, regent, mayor }

    func raceKind(_ code: String) -> RaceKind {
        if code.count == 2 { return .governor }
        return (Int(code.suffix(2)) ?? 0) >= 70 ? .mayor : .regent
    }

    static let raceTitle: [RaceKind: String] = [.governor: "Pilgub", .regent: "Pilbup", .mayor: "Pilwalkot"]

    /// A pair's candidate forms before their strength is known.
    struct PairForms {
        var multi: [[String]] = []
        var singles: [String] = []
        var roles: [(text: String, short: String)] = []
        var joined: [(text: String, shorts: [String])] = []
    }

    func pairForms(_ pair: KPUInput.Pair, kind: RaceKind) -> PairForms {
        var result = PairForms()
        for name in [pair.head, pair.deputy] {
            result.multi += forms.multiWordForms(name)
            result.singles += forms.singleWordForms(name)
        }
        let roles = overlay.roles[kind.rawValue] ?? GeneratorOverlay.Roles()
        let head = forms.shortName(pair.head), deputy = forms.shortName(pair.deputy)
        if let head { for role in roles.head { result.roles.append(("\(role) \(head)", head)) } }
        if let deputy { for role in roles.deputy { result.roles.append(("\(role) \(deputy)", deputy)) } }
        if let head, let deputy, NameReader.key(head) != NameReader.key(deputy) {
            result.joined.append(("\(head) \(deputy)", [head, deputy]))
            result.joined.append((NameReader.key(head) + NameReader.key(deputy), [head, deputy]))
            let full = NameForms.text(pair.head.words + pair.deputy.words)
            result.joined.append((full, pair.head.words + pair.deputy.words))
        }
        return result
    }

    mutating func pilkadaPacks() -> [GeneratedPacks.File] {
        guard let election = overlay.elections["pilkada"] else { return [] }
        // Signal names first (the overlay may give one), then the forms every pair shares.
        struct Planned {
            var pair: KPUInput.Pair
            var kind: RaceKind
            var signal: String
            var forms: PairForms
        }
        var planned: [Planned] = []
        var taken = Set<String>()
        let pairs = input.pairs.sorted { ($0.race.count, $0.race, $0.number) < ($1.race.count, $1.race, $1.number) }
        for pair in pairs where !pair.isEmptyBox {
            guard let region = regions[pair.race] else {
                warnings.append(Diagnostic(file: "pilkada", line: 1, column: 1, message: "race \(pair.race): no such region in the region lists; skipped"))
                continue
            }
            let kind = raceKind(pair.race)
            var signal = overlay.races[pair.race]?[pair.number]?.signal ?? "\(Self.raceTitle[kind]!.lowercased())-\(Self.slug(region.name))-\(Self.twoDigits(pair.number))"
            if taken.contains(signal) { signal = "\(Self.raceTitle[kind]!.lowercased())-\(Self.slug(region.name))-\(pair.race)-\(Self.twoDigits(pair.number))" }
            taken.insert(signal)
            planned.append(Planned(pair: pair, kind: kind, signal: signal, forms: pairForms(pair, kind: kind)))
        }
        var owners: [String: Set<String>] = [:]
        for plan in planned {
            let all = plan.forms.multi.map(NameForms.text) + plan.forms.singles + plan.forms.roles.map(\.text) + plan.forms.joined.map(\.text)
            for text in all { owners[Self.key(text), default: []].insert(plan.signal) }
        }
        func unique(_ text: String) -> Bool { owners[Self.key(text)]?.count == 1 }

        var byProvince: [String: [SignalOut]] = [:]
        var pairCount: [String: Int] = [:]
        var raceCount: [String: Set<String>] = [:]
        for plan in planned {
            let pair = plan.pair
            let region = regions[pair.race]!
            var terms: [GeneratorOverlay.TermSpec] = []
            if let curated = overlay.races[pair.race]?[pair.number] {
                terms += curated.terms
                usedOverlay.insert("\(pair.race)/\(pair.number)")
            }
            for words in plan.forms.multi {
                let text = NameForms.text(words)
                let strong = forms.isDistinctive(words) && unique(text)
                terms += Self.variants(text).map { .init(text: $0, needsContext: !strong) }
            }
            for text in plan.forms.singles where unique(text) {
                terms += Self.variants(text).map { .init(text: $0, needsContext: true) }
            }
            for (text, short) in plan.forms.roles {
                let strong = !forms.isCommon(short) && unique(text)
                terms += Self.variants(text).map { .init(text: $0, needsContext: !strong) }
            }
            for (text, shorts) in plan.forms.joined {
                let strong = !shorts.allSatisfy(forms.isCommon) && unique(text)
                terms += Self.variants(text).map { .init(text: $0, needsContext: !strong) }
            }
            // A governor race's region is its province, which includes its regencies and cities.
            let context = [Self.regionSignal(pair.race)]
            let title = "\(Self.raceTitle[plan.kind]!) \(Self.titleCased(region.name))"
            let label = "\(title) \(Self.twoDigits(pair.number)) \(pair.head.display) - \(pair.deputy.display)"
            byProvince[region.province, default: []].append(SignalOut(
                name: plan.signal, kind: "candidate", label: label, number: pair.number, context: context, terms: Self.distinctTerms(terms)))
            pairCount[region.province, default: 0] += 1
            raceCount[region.province, default: []].insert(pair.race)
        }
        var files: [GeneratedPacks.File] = []
        for province in byProvince.keys.sorted() {
            let name = "pilkada-2024-\(Self.slug(regions[province]?.name ?? province))"
            var signals = byProvince[province]!
            for extra in overlay.packSignals[province] ?? [] {
                signals.append(SignalOut(name: extra.name, kind: extra.kind, label: extra.label ?? extra.name, terms: extra.terms))
            }
            if overlay.packSignals[province] != nil || overlay.packExamples[province] != nil { usedOverlay.insert("pack:" + province) }
            let text = Self.pack(name: name, version: election.version, title: "\(election.title): \(regionLabel(regions[province]))",
                                 window: (election.from, election.to), comment: """
                                 Pasangan calon gubernur, bupati dan wali kota. Nama yang umum atau sama dengan calon lain
                                 (`needs: context`) hanya dihitung bila kiriman juga menyebut wilayahnya; nomor urut hanya
                                 dengan wilayah atau nama pasangannya.
                                 """, signals: signals, examples: overlay.packExamples[province] ?? [])
            files.append(.init(path: name + ".yaml", text: text))
            summary.append("\(name).yaml: \(raceCount[province]!.count) pemilihan, \(pairCount[province]!) pasangan")
        }
        return files
    }

    // MARK: - DPR and DPD

    mutating func legislativePacks() -> [GeneratedPacks.File] {
        var files: [GeneratedPacks.File] = []
        if let election = overlay.elections["dpr"] {
            var rows: [String: [LegislatorRow]] = [:]
            var districts: [String: [SignalOut]] = [:]
            let candidates = input.dpr.sorted { ($0.district, $0.party ?? 0, $0.number) < ($1.district, $1.party ?? 0, $1.number) }
            var seen = Set<String>()
            for candidate in candidates {
                let province = String(candidate.district.prefix(2))
                guard let party = candidate.party, let partyInfo = overlay.parties[party], let district = input.districts[candidate.district] else {
                    warnings.append(Diagnostic(file: "dpr", line: 1, column: 1,
                                               message: "candidate \(candidate.name.display) (dapil \(candidate.district)): unknown party or district; skipped"))
                    continue
                }
                let signal = "dpr-\(candidate.district)-\(Self.twoDigits(party))-\(Self.twoDigits(candidate.number))"
                guard seen.insert(signal).inserted else {
                    warnings.append(Diagnostic(file: "dpr", line: 1, column: 1, message: "dapil \(candidate.district), party \(party), number \(candidate.number) listed twice; the second skipped"))
                    continue
                }
                let districtSignal = "dapil-dpr-\(candidate.district)"
                if !seen.contains(districtSignal) {
                    seen.insert(districtSignal)
                    // A district includes its regions; one that covers its whole province, the province too.
                    var included = district.regions.filter { regions[$0] != nil }.sorted()
                    if !included.isEmpty, Set(included) == Set(children[province] ?? []) { included.insert(province, at: 0) }
                    let name = Self.titleCased(district.name)
                    districts[province, default: []].append(SignalOut(
                        name: districtSignal, kind: "race", label: "Daerah pemilihan DPR RI \(name)", includes: included.map(Self.regionSignal),
                        terms: Self.distinct(["dapil \(district.name.lowercased())", "dapil \(Self.arabicNumeral(district.name.lowercased()))"]).map { .init(text: $0) }))
                }
                guard !candidate.name.words.isEmpty else {
                    warnings.append(Diagnostic(file: "dpr", line: 1, column: 1, message: "dapil \(candidate.district), party \(party), number \(candidate.number): no name left after titles and degrees; skipped"))
                    continue
                }
                let label = "Caleg DPR RI \(Self.titleCased(district.name)), \(partyInfo.name) no. \(candidate.number): \(candidate.name.display)"
                rows[province, default: []].append(LegislatorRow(signal: signal, number: candidate.number, party: partyInfo.signal, district: districtSignal,
                                                                 label: label, names: legislatorNames(candidate.name, role: "caleg")))
            }
            for province in rows.keys.sorted() {
                let name = "dpr-2024-\(Self.slug(regions[province]?.name ?? province))"
                let text = Self.pack(name: name, version: election.version, title: "\(election.title): \(regionLabel(regions[province]))",
                                     window: (election.from, election.to), comment: """
                                     Calon anggota DPR RI (daftar calon tetap), satu baris seorang. Nama caleg hanya dihitung bersama
                                     partainya atau kata seperti caleg, DPR RI, dapil; nomor urutnya hanya bersama partai dan daerah
                                     pemilihannya.
                                     """, signals: districts[province] ?? [], legislators: ("lembaga-dpr", rows[province]!), examples: [])
                files.append(.init(path: name + ".yaml", text: text))
                summary.append("\(name).yaml: \(districts[province]?.count ?? 0) dapil, \(rows[province]!.count) caleg")
            }
        }
        if let election = overlay.elections["dpd"] {
            var rows: [LegislatorRow] = []
            var seen = Set<String>()
            for candidate in input.dpd.sorted(by: { ($0.district, $0.number) < ($1.district, $1.number) }) {
                guard let region = regions[candidate.district], region.level == .province else {
                    warnings.append(Diagnostic(file: "dpd", line: 1, column: 1, message: "candidate \(candidate.name.display): unknown province \(candidate.district); skipped"))
                    continue
                }
                let signal = "dpd-\(candidate.district)-\(Self.twoDigits(candidate.number))"
                guard !candidate.name.words.isEmpty else {
                    warnings.append(Diagnostic(file: "dpd", line: 1, column: 1, message: "province \(candidate.district), number \(candidate.number): no name left after titles and degrees; skipped"))
                    continue
                }
                guard seen.insert(signal).inserted else { continue }
                let place = regionLabel(region).replacingOccurrences(of: "Provinsi ", with: "")
                rows.append(LegislatorRow(signal: signal, number: candidate.number, party: nil, district: Self.regionSignal(candidate.district),
                                          label: "Calon DPD \(place) no. \(candidate.number): \(candidate.name.display)",
                                          names: legislatorNames(candidate.name, role: "calon dpd")))
            }
            let text = Self.pack(name: "dpd-2024", version: election.version, title: election.title, window: (election.from, election.to), comment: """
                                 Calon anggota DPD RI (daftar calon tetap), satu baris seorang. Nama calon hanya dihitung bersama kata
                                 seperti DPD RI atau senator; nomor urutnya hanya bersama kata itu dan provinsinya.
                                 """, signals: [], legislators: ("lembaga-dpd", rows), examples: [])
            files.append(.init(path: "dpd-2024.yaml", text: text))
            summary.append("dpd-2024.yaml: \(rows.count) calon")
        }
        return files
    }

    /// A legislative candidate's name forms (all need context): every multi-word form; a
    /// single-word name only after the role word (`caleg usman`).
    func legislatorNames(_ name: CandidateName, role: String) -> [String] {
        var texts = forms.multiWordForms(name).map(NameForms.text)
        if texts.isEmpty, let word = name.words.first { texts = ["\(role) \(word)"] }
        return Self.distinct(texts.flatMap(Self.variants))
    }

    /// A district name with its Roman numeral in digits: `jawa barat iii` → `jawa barat 3`.
    static func arabicNumeral(_ name: String) -> String {
        let numerals = ["i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12]
        var words = name.split(separator: " ").map(String.init)
        if let last = words.last, let value = numerals[last] { words[words.count - 1] = String(value) }
        return words.joined(separator: " ")
    }

    // MARK: - Text

    /// A form and, when it has an apostrophe (`mas'ud`, read as two words), the form without it.
    static func variants(_ text: String) -> [String] {
        let plain = text.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: "")
        return plain == text ? [text] : [text, plain]
    }

    /// The words the matcher reads a term as, joined: two terms with one key match the same.
    static func key(_ text: String) -> String { GeneratorOverlay.normalized(text).joined(separator: " ") }

    static func distinct(_ texts: [String]) -> [String] {
        var seen = Set<String>()
        return texts.filter { !key($0).isEmpty && seen.insert(key($0)).inserted }
    }

    /// Terms without repeats; of two with one key, the first (a curated one) wins.
    static func distinctTerms(_ terms: [GeneratorOverlay.TermSpec]) -> [GeneratorOverlay.TermSpec] {
        var seen = Set<String>()
        return terms.filter { !key($0.text).isEmpty && seen.insert(key($0.text) + ($0.exactCase ? "\u{1}\($0.text)" : "")).inserted }
    }

    static func slug(_ text: String) -> String {
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }

    static func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }

    static func titleCased(_ text: String) -> String {
        text.lowercased().split(separator: " ").map { word in
            // Roman numerals of districts and acronyms stay upper case: `Jawa Barat III`, `DKI Jakarta`.
            word.allSatisfy({ "ivx".contains($0) }) || ["di", "dki", "diy", "ntb", "ntt"].contains(word)
                ? word.uppercased() : CandidateName.titleCased(String(word))
        }.joined(separator: " ")
    }
}
