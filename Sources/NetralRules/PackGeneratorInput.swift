import Foundation
import NetralYAML

/// The KPU lists `netral rules generate` reads (the layout of `../shared/corpora/kpu`, see
/// Rules/pemilu-2024/README.md):
///
/// - `<pilkada>/province.json`, `<pilkada>/kabkota/NN.json`: regions `[{nama, kode}]`;
/// - `<pilkada>/pkwkp.json`, `<pilkada>/pkwkk.json`: pairs `{region: {id: {nama, nomor_urut}}}`,
///   `nama` as `"CALON - WAKIL"` (governor races under 2-digit codes, regent and mayor races
///   under 4-digit ones);
/// - `<legislative>/dpr/*.json`, `<legislative>/dpd/*.json`: candidates `[{nama, nomor_urut,
///   id_partai, kode_dapil}]` and `[{nama, nomor_urut, kode_propinsi}]`;
/// - `<legislative>/parpol.json`: parties `[{id, nomor_urut}]`;
/// - `<legislative>/electorals.json`: districts `[{kode_dapil, jenis_dapil, nama_dapil, kode_wilayah}]`.
///
/// A record that cannot be read is skipped with a warning naming the file and the record.
struct KPUInput {
    enum Level: String, Sendable { case province, regency, city }

    struct Region: Sendable {
        var code: String
        /// The name without `KOTA`, lowercased: `yogyakarta`, `sleman`, `jawa tengah`.
        var name: String
        var level: Level
        /// The province's code (the region's own for a province).
        var province: String
    }

    struct Pair: Sendable {
        /// The code of the region that holds the race.
        var race: String
        var number: Int
        var head: CandidateName
        var deputy: CandidateName
        /// `KOLOM KOSONG`: the empty box of a single-pair race.
        var isEmptyBox: Bool
    }

    struct Legislator: Sendable {
        /// DPR: the district code (`3201`); DPD: the province code.
        var district: String
        /// DPR: the party's ballot number.
        var party: Int?
        var number: Int
        var name: CandidateName
    }

    var regions: [Region] = []
    var pairs: [Pair] = []
    var dpr: [Legislator] = []
    var dpd: [Legislator] = []
    /// DPR districts: name and the regency or city codes they cover.
    var districts: [String: (name: String, regions: [String])] = [:]
    var warnings: [Diagnostic] = []

    /// Reads the lists under `directory`, with the folder names the overlay gives.
    static func read(directory: String, pilkadaFolder: String, legislativeFolder: String,
                     vocabulary: NameVocabulary) throws(DiagnosticsError) -> KPUInput {
        var input = KPUInput()
        var errors: [Diagnostic] = []
        let pilkada = (directory as NSString).appendingPathComponent(pilkadaFolder)
        let legislative = (directory as NSString).appendingPathComponent(legislativeFolder)

        func json(_ path: String) -> Any? {
            guard let data = FileManager.default.contents(atPath: path) else {
                errors.append(Diagnostic(file: path, line: 1, column: 1, message: "cannot read file (missing or unreadable)"))
                return nil
            }
            do {
                return try JSONSerialization.jsonObject(with: data)
            } catch {
                errors.append(Diagnostic(file: path, line: 1, column: 1, message: "not valid JSON: \(error.localizedDescription)"))
                return nil
            }
        }
        func warn(_ path: String, _ message: String) {
            input.warnings.append(Diagnostic(file: path, line: 1, column: 1, message: message))
        }
        func string(_ value: Any?) -> String? {
            if let text = value as? String { return text }
            if let number = value as? NSNumber { return number.stringValue }
            return nil
        }
        func integer(_ value: Any?) -> Int? {
            if let number = value as? NSNumber { return number.intValue }
            if let text = value as? String { return Int(text) }
            return nil
        }

        // Regions.
        let provincePath = (pilkada as NSString).appendingPathComponent("province.json")
        var provinceCodes: [String] = []
        if let list = json(provincePath) as? [Any] {
            for (index, entry) in list.enumerated() {
                guard let record = entry as? [String: Any], let code = string(record["kode"]), let name = string(record["nama"]),
                      code.count == 2, code.allSatisfy(\.isNumber) else {
                    warn(provincePath, "entry \(index + 1): needs 'kode' (2 digits) and 'nama'; skipped")
                    continue
                }
                input.regions.append(Region(code: code, name: name.lowercased(), level: .province, province: code))
                provinceCodes.append(code)
            }
        } else if errors.isEmpty {
            errors.append(Diagnostic(file: provincePath, line: 1, column: 1, message: "expected a JSON list of provinces"))
        }
        for province in provinceCodes.sorted() {
            let path = (pilkada as NSString).appendingPathComponent("kabkota/\(province).json")
            guard FileManager.default.fileExists(atPath: path) else {
                warn(path, "no regency or city list for province \(province)")
                continue
            }
            guard let list = json(path) as? [Any] else { continue }
            for (index, entry) in list.enumerated() {
                guard let record = entry as? [String: Any], let code = string(record["kode"]), var name = string(record["nama"]),
                      code.count == 4, code.hasPrefix(province), let digits = Int(code.suffix(2)) else {
                    warn(path, "entry \(index + 1): needs 'kode' (4 digits, of province \(province)) and 'nama'; skipped")
                    continue
                }
                name = name.lowercased()
                // Kemendagri: 01-69 a kabupaten, 71-99 a kota.
                let level: Level = digits >= 70 ? .city : .regency
                if level == .city, name.hasPrefix("kota ") { name.removeFirst(5) }
                input.regions.append(Region(code: code, name: name, level: level, province: province))
            }
        }

        // Pilkada pairs.
        for file in ["pkwkp.json", "pkwkk.json"] {
            let path = (pilkada as NSString).appendingPathComponent(file)
            guard let races = json(path) as? [String: Any] else {
                if !errors.contains(where: { $0.file == path }) {
                    errors.append(Diagnostic(file: path, line: 1, column: 1, message: "expected a JSON object of races by region code"))
                }
                continue
            }
            for race in races.keys.sorted() {
                guard let pairs = races[race] as? [String: Any], race.count == 2 || race.count == 4, race.allSatisfy(\.isNumber) else {
                    warn(path, "race '\(race)': expected a region code (2 or 4 digits) holding pairs; skipped")
                    continue
                }
                for id in pairs.keys.sorted() {
                    guard let record = pairs[id] as? [String: Any], let name = string(record["nama"]), let number = integer(record["nomor_urut"]),
                          number >= 1 else {
                        warn(path, "race \(race), pair \(id): needs 'nama' and 'nomor_urut' (1 or more); skipped")
                        continue
                    }
                    let halves = name.components(separatedBy: " - ")
                    guard halves.count == 2 else {
                        warn(path, "race \(race), pair \(id): 'nama' is not 'CALON - WAKIL' (\(name)); skipped")
                        continue
                    }
                    let isEmptyBox = halves[0].trimmingCharacters(in: .whitespaces).uppercased() == "KOLOM KOSONG"
                    let head = NameReader.read(halves[0], vocabulary: vocabulary)
                    let deputy = NameReader.read(halves[1], vocabulary: vocabulary)
                    if !isEmptyBox && (head.words.isEmpty || deputy.words.isEmpty) {
                        warn(path, "race \(race), pair \(id): no name left after titles and degrees in '\(name)'; skipped")
                        continue
                    }
                    input.pairs.append(Pair(race: race, number: number, head: head, deputy: deputy, isEmptyBox: isEmptyBox))
                }
            }
        }

        // Legislative candidates.
        let partyPath = (legislative as NSString).appendingPathComponent("parpol.json")
        var partyNumbers: [Int: Int] = [:]
        if let list = json(partyPath) as? [Any] {
            for (index, entry) in list.enumerated() {
                guard let record = entry as? [String: Any], let id = integer(record["id"]), let number = integer(record["nomor_urut"]) else {
                    warn(partyPath, "entry \(index + 1): needs 'id' and 'nomor_urut'; skipped")
                    continue
                }
                partyNumbers[id] = number
            }
        }
        let districtPath = (legislative as NSString).appendingPathComponent("electorals.json")
        if let list = json(districtPath) as? [Any] {
            for entry in list {
                guard let record = entry as? [String: Any], string(record["jenis_dapil"]) == "DPR RI",
                      let code = string(record["kode_dapil"]), let name = string(record["nama_dapil"]), let region = string(record["kode_wilayah"]) else { continue }
                var district = input.districts[code] ?? (name: name, regions: [])
                if !district.regions.contains(region) { district.regions.append(region) }
                input.districts[code] = district
            }
        }
        for body in ["dpr", "dpd"] {
            let folder = (legislative as NSString).appendingPathComponent(body)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            if names.isEmpty { errors.append(Diagnostic(file: folder, line: 1, column: 1, message: "no candidate files (*.json) in this folder")) }
            for file in names {
                let path = (folder as NSString).appendingPathComponent(file)
                guard let list = json(path) as? [Any] else { continue }
                for (index, entry) in list.enumerated() {
                    guard let record = entry as? [String: Any], let raw = string(record["nama"]), let number = integer(record["nomor_urut"]), number >= 1 else {
                        warn(path, "candidate \(index + 1): needs 'nama' and 'nomor_urut'; skipped")
                        continue
                    }
                    let name = NameReader.read(raw, vocabulary: vocabulary)
                    if body == "dpr" {
                        guard let district = string(record["kode_dapil"]), let partyID = integer(record["id_partai"]), let party = partyNumbers[partyID] else {
                            warn(path, "candidate \(index + 1) (\(raw)): needs 'kode_dapil' and an 'id_partai' listed in parpol.json; skipped")
                            continue
                        }
                        input.dpr.append(Legislator(district: district, party: party, number: number, name: name))
                    } else {
                        guard let province = string(record["kode_propinsi"]) else {
                            warn(path, "candidate \(index + 1) (\(raw)): needs 'kode_propinsi'; skipped")
                            continue
                        }
                        input.dpd.append(Legislator(district: province, party: nil, number: number, name: name))
                    }
                }
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return input
    }
}
