/// Masks 18-digit NIPs (written plain or grouped `19680411 199303 1 009`) in reviewer-facing
/// text. A NIP encodes a birth date and gender; only its last three digits are shown. Digits of
/// any script count (full-width `１９６８…`, Arabic-Indic, …): a NIP typed on another keyboard
/// is masked all the same.
public enum NIPMasking {
    /// `text` with every decimal digit of any script written as its ASCII digit, so a NIP is
    /// checked and stored the same way however it was typed.
    public static func asciiDigits(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !scalar.isASCII, scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
                let ascii = Unicode.Scalar(0x30 + UInt32(value))
            {
                output.append(ascii)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    public static func mask(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if isDigit(scalars[index]), index == 0 || !isDigit(scalars[index - 1]) {
                // Read digits separated by single spaces or dots, as NIPs are grouped.
                var end = index
                var digits = 0
                var lastDigitEnd = index
                while end < scalars.count {
                    if isDigit(scalars[end]) {
                        digits += 1
                        end += 1
                        lastDigitEnd = end
                    } else if scalars[end] == " " || scalars[end] == ".", end + 1 < scalars.count, isDigit(scalars[end + 1]), digits < 18 {
                        end += 1
                    } else {
                        break
                    }
                }
                if digits == 18 {
                    var seen = 0
                    for scalar in scalars[index..<lastDigitEnd] {
                        if isDigit(scalar) {
                            seen += 1
                            output.append(seen > 15 ? scalar : "•")
                        } else {
                            output.append(scalar)
                        }
                    }
                    index = lastDigitEnd
                    continue
                }
                output.append(contentsOf: scalars[index..<lastDigitEnd])
                index = lastDigitEnd
                continue
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x30 && scalar.value <= 0x39) || (!scalar.isASCII && scalar.properties.numericType == .decimal)
    }
}
