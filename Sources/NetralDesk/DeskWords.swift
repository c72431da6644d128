import Foundation
import NetralCases
import NetralEvidence
import NetralModel
import NetralStore

/// How the desk says things to the reviewer, in Bahasa Indonesia: labels, times, and the
/// reasons a case file cannot be read.
enum DeskWords {
    static func decision(_ decision: ReviewDecision) -> String {
        switch decision {
        case .confirm: "Dikonfirmasi"
        case .dismiss: "Ditolak"
        case .reopen: "Dibuka kembali"
        }
    }

    static func exportFormat(_ format: ExportFormat) -> String {
        switch format {
        case .jsonl: "JSONL (satu berkas per baris)"
        case .csv: "CSV (lembar kerja)"
        case .thehive: "TheHive (alert)"
        case .misp: "MISP (event)"
        }
    }

    /// Messages a redirect may ask for, by code, so no text travels in a URL.
    static let notices = [
        "tersimpan": "Keputusan tercatat di log peninjauan.",
        "habis": "Keputusan tercatat. Tidak ada berkas lagi di antrean ini.",
        "diambil": "Kasus ini Anda ambil: peninjau lain melihat nama Anda di antrean.",
        "dilepas": "Kasus ini Anda lepas: peninjau lain boleh mengambilnya.",
        "ditolak-massal": "Berkas yang dicentang ditolak dengan satu catatan.",
        "pilih-kosong": "Tidak ada berkas yang dicentang: centang berkas di antrean, lalu tulis catatan.",
        "catatan-kosong": "Tulis catatan penolakan untuk berkas yang dicentang.",
        "ekspor-kosong": "Tidak ada berkas baru untuk tujuan ekspor itu: semua yang cocok sudah pernah diekspor ke sana "
            + "(centang \u{201C}ekspor ulang\u{201D} untuk membuatnya lagi).",
    ]

    /// The state's act list (`A2,A8 (laporan)`) as codes with titles; a report about someone
    /// else keeps its marker.
    static func acts(_ list: String) -> [LabelledValue] {
        list.split(separator: ",").map { entry in
            let label = entry.trimmingCharacters(in: .whitespaces)
            let code = String(label.prefix { !$0.isWhitespace })
            let title = ProhibitedAct.title(of: code) + (label == code ? "" : " (laporan tentang pihak lain)")
            return LabelledValue(value: label, label: title)
        }
    }

    /// Who a case concerns, NIP masked.
    static func who(_ caseFile: StoredCaseFile) -> String {
        caseFile.author.isEmpty ? "(tanpa nama)" : NIPMasking.mask(caseFile.author)
    }

    static func isWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// `20 Jan 2024 19.30 WIB`: a time as the reviewer reads it (the desk's own times in WIB).
    static func shortTime(_ date: Date, zone: IndonesianZone = .wib) -> String {
        CaseFileFacts.shortLocalTime(date, zone: zone)
    }

    /// The reporting deadline of a case file found at `createdAt`, said with the days left, and
    /// its CSS class: `lewat` (past), `dekat` (two days or less) or `aman`.
    static func deadline(createdAt: Date, zone: IndonesianZone, now: Date = Date()) -> (String, String) {
        let deadline = CaseFileFacts.deadline(createdAt: createdAt, zone: zone)
        let text = CaseFileFacts.shortLocalTime(deadline, zone: zone)
        let seconds = deadline.timeIntervalSince(now)
        if seconds < 0 { return ("\(text) (lewat)", "lewat") }
        let days = Int(seconds / 86_400)
        let left = days >= 1 ? "sisa \(days) hari" : "sisa \(max(1, Int(seconds / 3600))) jam"
        return ("\(text) (\(left))", days < 2 ? "dekat" : "aman")
    }

    /// Times in WIB with UTC beside, as the reports show them.
    static func localTime(_ date: Date) -> String {
        "\(clock(date, zone: QueueQuery.zone)) WIB (\(clock(date, zone: TimeZone(identifier: "UTC")!).suffix(5)) UTC)"
    }

    static func clock(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d-%02d-%04d %02d:%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0, parts.hour ?? 0,
                      parts.minute ?? 0)
    }
}
