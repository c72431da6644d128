import Foundation
import NetralModel

/// Structured identity signals that a term list cannot express: the 18-digit NIP, government
/// e-mail addresses and web domains. Each is a built-in signal of kind `asn` that conditions
/// can name (`nip`, `email-pemerintah`, `domain-pemerintah`), as can the target's known
/// subject (`subjek-asn`).
enum Detectors {
    static let nipSignal = "nip"
    static let emailSignal = "email-pemerintah"
    static let domainSignal = "domain-pemerintah"
    static let subjectSignal = "subjek-asn"
    static let subjectSharedSignal = "subjek-membagikan-ulang"
    /// The item is an account's interaction (reply, boost or repost, favourite or like) with a
    /// post of a campaign account the operator registered (`kind: campaign-account`).
    static let campaignInteractionSignal = "interaksi-akun-kampanye"
    /// The account's identity as the state keeps it (`Item.accountIdentities`): from its profile,
    /// its earlier first-person posts or a watchlist subject.
    static let accountIdentitySignal = "identitas-akun"
    /// The account is a government office's own (`AccountIdentity.Kind.office`).
    static let officeAccountSignal = "akun-instansi"

    /// The built-in signals, with the weight each gives as evidence of ASN identity.
    static let builtInSignals: [Signal] = [
        Signal(name: subjectSignal, kind: .asn, label: "Subjek yang diketahui analis sebagai ASN", number: nil, terms: [], weight: 1.0),
        Signal(name: subjectSharedSignal, kind: .asn, label: "Subjek yang diketahui sebagai ASN membagikan ulang (boost/repost) kiriman orang lain",
               number: nil, terms: [], weight: 1.0),
        Signal(name: accountIdentitySignal, kind: .asn,
               label: "Identitas ASN akun yang tersimpan (dari profil, unggahan sebelumnya, atau daftar pantauan)", number: nil,
               terms: [], weight: 0.9),
        Signal(name: officeAccountSignal, kind: .asn,
               label: "Akun resmi instansi pemerintah (kecamatan, desa, dinas, sekolah negeri, puskesmas ...)", number: nil,
               terms: [], weight: 1.0),
        Signal(name: nipSignal, kind: .asn, label: "NIP PNS atau NI PPPK (18 digit) yang sah strukturnya", number: nil, terms: [], weight: 1.0),
        Signal(name: emailSignal, kind: .asn, label: "Alamat surel pemerintah (go.id, desa.id)", number: nil, terms: [], weight: 0.95),
        Signal(name: domainSignal, kind: .asn, label: "Domain situs pemerintah (go.id, desa.id)", number: nil, terms: [], weight: 0.9),
        Signal(name: campaignInteractionSignal, kind: .support,
               label: "Berinteraksi (membalas, membagikan ulang, menyukai) dengan kiriman akun kampanye yang terdaftar", number: nil, terms: [], weight: 1.0),
    ]

    /// A detector's find in one field: byte span, the quote to show, and a description.
    struct Detection: Equatable {
        var signal: String
        var term: String
        var start: Int
        var end: Int
        var quote: String
    }

    static func detect(in text: String, now: @autoclosure () -> Date = Date()) -> [Detection] {
        // Cheap byte checks first: most texts have no 18-digit run and no ".id" address.
        var longestDigitRun = 0
        var hasAddress = false
        var text = text
        if text.utf8.withContiguousStorageIfAvailable({ (longestDigitRun, hasAddress) = prescan($0) }) == nil {
            text.makeContiguousUTF8()
            _ = text.utf8.withContiguousStorageIfAvailable { (longestDigitRun, hasAddress) = prescan($0) }
        }
        var detections: [Detection] = []
        if longestDigitRun >= 18 { detections += nipDetections(in: text, now: now()) }
        if hasAddress { detections += addressDetections(in: text) }
        return detections
    }

    /// The longest run of digits (spaces and dots inside it allowed) and whether ".id" occurs.
    private static func prescan(_ bytes: UnsafeBufferPointer<UInt8>) -> (longestDigitRun: Int, hasAddress: Bool) {
        var digitRun = 0, longestDigitRun = 0
        var hasAddress = false
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight bytes at a time while they hold no digit: such a block ends a digit run
            // unless it is all spaces and dots, and only its dots can start a ".id" (dots are
            // rarer than `d`s). (SWAR: `zeroBytes(x ^ pattern)` marks the bytes of `x` equal to
            // the pattern's.)
            if index + 8 <= count {
                let block = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
                func zeroBytes(_ value: UInt64) -> UInt64 { ~(((value & low7) &+ low7) | value | low7) }
                // 0x30...0x3F (digits and a few signs) have a high nibble of 3.
                let maybeDigit = zeroBytes((block ^ 0x3030_3030_3030_3030) & 0xF0F0_F0F0_F0F0_F0F0)
                if maybeDigit == 0 {
                    let dots = zeroBytes(block ^ 0x2E2E_2E2E_2E2E_2E2E)
                    var remaining = dots
                    while remaining != 0 {
                        let at = index + remaining.trailingZeroBitCount / 8
                        if at + 2 < count, bytes[at + 1] | 0x20 == 0x69, bytes[at + 2] | 0x20 == 0x64 { hasAddress = true }
                        remaining &= remaining &- 1
                    }
                    if (zeroBytes(block ^ 0x2020_2020_2020_2020) | dots) != 0x8080_8080_8080_8080 { digitRun = 0 }
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte &- 0x30 < 10 {
                digitRun += 1
                if digitRun > longestDigitRun { longestDigitRun = digitRun }
            } else if byte == 0x2E {
                if index + 2 < count, bytes[index + 1] | 0x20 == 0x69, bytes[index + 2] | 0x20 == 0x64 { hasAddress = true }
            } else if byte != 0x20 {
                digitRun = 0
            }
            index += 1
        }
        return (longestDigitRun, hasAddress)
    }

    // MARK: - NIP

    /// The kind of number an 18-digit NIP is.
    enum NIPKind: Equatable {
        case pns
        case pppk
    }

    /// Validates an 18-digit number as a PNS NIP (`YYYYMMDD` birth, `YYYYMM` first appointment,
    /// gender 1/2, serial) or a PPPK NI (`YYYYMMDD` birth, `YYYY` appointment year, `2`, contract
    /// count 1-9, gender, serial). See domain.md §2.1-2.2: digits 13-14 of 01-12 are a month
    /// (PNS), of 21-29 the PPPK mark; appointment at 18 or older; a real birth date.
    static func classifyNIP(_ digits: [UInt8], now: Date = Date()) -> NIPKind? {
        guard digits.count == 18 else { return nil }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(digits[$1]) } }
        let birthYear = number(0..<4), birthMonth = number(4..<6), birthDay = number(6..<8)
        let appointmentYear = number(8..<12), code = number(12..<14)
        let gender = Int(digits[14]), serial = number(15..<18)
        let currentYear = utcCalendar.component(.year, from: now)
        guard (1930...currentYear - 17).contains(birthYear), (1...12).contains(birthMonth),
              (1...daysInMonth(birthMonth, of: birthYear)).contains(birthDay),
              gender == 1 || gender == 2, serial >= 1,
              appointmentYear >= birthYear + 18, appointmentYear <= currentYear
        else { return nil }
        if (1...12).contains(code) {
            return appointmentYear >= 1960 ? .pns : nil
        }
        if (21...29).contains(code) {
            return appointmentYear >= 2019 ? .pppk : nil
        }
        return nil
    }

    /// Made once: making a calendar costs more than checking a number.
    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Days in a month of the Gregorian calendar.
    static func daysInMonth(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 18 digits written plain or grouped by single spaces or dots (`19680411 199303 1 009`).
    static func nipDetections(in text: String, now: Date) -> [Detection] {
        let bytes = Array(text.utf8)
        var result: [Detection] = []
        var index = 0
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        while index < bytes.count {
            guard isDigit(index), index == 0 || !isDigit(index - 1) else {
                index += 1
                continue
            }
            var digits: [UInt8] = []
            var cursor = index
            var end = index
            while cursor < bytes.count, digits.count <= 18 {
                if isDigit(cursor) {
                    digits.append(bytes[cursor] - 0x30)
                    cursor += 1
                    end = cursor
                } else if (bytes[cursor] == 0x20 || bytes[cursor] == 0x2E), isDigit(cursor + 1), digits.count < 18 {
                    cursor += 1
                } else {
                    break
                }
            }
            if digits.count == 18, !isDigit(end), let kind = classifyNIP(digits, now: now) {
                let original = String(decoding: bytes[index..<end], as: UTF8.self)
                result.append(Detection(
                    signal: nipSignal, term: kind == .pns ? "NIP PNS" : "NI PPPK",
                    start: index, end: end, quote: NIPMasking.mask(original)
                ))
            }
            index = max(end, index + 1)
        }
        return result
    }

    // MARK: - Government addresses

    static let governmentSuffixes = [".go.id", ".desa.id"]

    static func isGovernmentHost(_ host: String) -> Bool {
        let lower = host.lowercased()
        return governmentSuffixes.contains { lower.hasSuffix($0) } || lower == "go.id" || lower == "desa.id"
    }

    private static func containsDotID(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index + 2 < bytes.endIndex {
            if bytes[index] == 0x2E, bytes[index + 1] | 0x20 == 0x69, bytes[index + 2] | 0x20 == 0x64 { return true }
            index += 1
        }
        return false
    }

    /// E-mail addresses and host names ending in go.id or desa.id, found in running text.
    static func addressDetections(in text: String) -> [Detection] {
        let bytes = Array(text.utf8)
        guard bytes.count >= 5 else { return [] }
        var result: [Detection] = []
        // Space, tab, CR, LF, ( ) < > " ' , [ ] separate addresses; . , ; : ! ? may end a sentence after one.
        func isSeparator(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x28, 0x29, 0x3C, 0x3E, 0x22, 0x27, 0x2C, 0x5B, 0x5D: true
            default: false
            }
        }
        func isTrailing(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F: true
            default: false
            }
        }
        var start = 0
        while start < bytes.count {
            while start < bytes.count, isSeparator(bytes[start]) { start += 1 }
            var end = start
            while end < bytes.count, !isSeparator(bytes[end]) { end += 1 }
            var trimmedEnd = end
            while trimmedEnd > start, isTrailing(bytes[trimmedEnd - 1]) { trimmedEnd -= 1 }
            // Only a chunk with ".id" in it can be a government address: test that on the bytes.
            if trimmedEnd - start >= 5, containsDotID(bytes[start..<trimmedEnd]) {
                let chunk = String(decoding: bytes[start..<trimmedEnd], as: UTF8.self)
                if let at = chunk.lastIndex(of: "@") {
                    let domain = String(chunk[chunk.index(after: at)...])
                    if chunk.first != "@", isGovernmentHost(domain), domain.contains(".") {
                        result.append(Detection(signal: emailSignal, term: "surel \(domain)", start: start, end: trimmedEnd, quote: chunk))
                    }
                } else {
                    var host = chunk
                    for scheme in ["https://", "http://"] where host.lowercased().hasPrefix(scheme) {
                        host = String(host.dropFirst(scheme.count))
                    }
                    host = String(host.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" })
                    if host.contains("."), isGovernmentHost(host) {
                        result.append(Detection(signal: domainSignal, term: "domain \(host.lowercased())", start: start, end: trimmedEnd, quote: chunk))
                    }
                }
            }
            start = end
        }
        return result
    }
}
