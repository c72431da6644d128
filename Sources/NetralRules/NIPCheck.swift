public import Foundation

/// The NIP detector's rules for one number an operator typed (a watchlist row, a subject):
/// 18 digits, written plain or grouped by single spaces or dots, that are a PNS NIP or a PPPK
/// NI (`Detectors.classifyNIP`). Callers show the number only through `NIPMasking`.
public enum NIPCheck {
    /// Why `text` is not a NIP, or nil when it is one.
    public static func problem(in text: String, now: Date = Date()) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digits: [UInt8] = []
        var previousWasSeparator = true
        for byte in trimmed.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(byte - 0x30)
                previousWasSeparator = false
            } else if (byte == 0x20 || byte == 0x2E) && !previousWasSeparator {
                previousWasSeparator = true
            } else {
                return "a NIP is 18 digits (plain or grouped by single spaces or dots)"
            }
        }
        guard digits.count == 18 else { return "a NIP is 18 digits, found \(digits.count)" }
        guard Detectors.classifyNIP(digits, now: now) != nil else {
            return "not a valid NIP: the birth date (digits 1-8), the appointment (9-14, at 18 or older), the gender digit (15: 1 or 2) or the serial (16-18) does not fit a PNS NIP or a PPPK NI"
        }
        return nil
    }
}
