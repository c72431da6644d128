import Foundation

/// Where Tesseract's `LANG.traineddata` files are, checked before Tesseract is started so a
/// missing language is a clear error naming the Debian package, not Tesseract's message on stderr.
enum LanguageData {
    /// Folders searched in order when no folder is configured: `$TESSDATA_PREFIX` (and its
    /// `tessdata` subfolder, as Tesseract itself accepts both), then where Debian, Ubuntu,
    /// Homebrew and source builds put them.
    static func searchFolders(configured: String?, environment: [String: String]) -> [String] {
        if let configured { return [configured] }
        var folders: [String] = []
        if let prefix = environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            folders += [prefix, (prefix as NSString).appendingPathComponent("tessdata")]
        }
        folders += [
            "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata",
            "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata",
        ]
        return folders
    }

    /// A language code as a file name: letters, digits and `_` (`ind`, `eng`, `jav`, `chi_sim`),
    /// so no code can name a path.
    static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 32
            && code.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" }
    }

    /// Debian's package for a language's data: `tesseract-ocr-ind`, `tesseract-ocr-chi-sim`.
    static func debianPackage(for code: String) -> String {
        "tesseract-ocr-" + code.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The first folder holding every language, or the error for the first language missing
    /// from all of them.
    static func folder(for languages: [String], configured: String?, environment: [String: String]) throws(OCRError) -> String {
        guard !languages.isEmpty else { throw OCRError(.invalidLanguage("")) }
        for code in languages where !isValidCode(code) { throw OCRError(.invalidLanguage(code)) }
        let folders = searchFolders(configured: configured, environment: environment)
        let manager = FileManager.default
        for folder in folders where languages.allSatisfy({ manager.isReadableFile(atPath: folder + "/" + $0 + ".traineddata") }) {
            return folder
        }
        let installed = { (code: String) in folders.contains { manager.isReadableFile(atPath: $0 + "/" + code + ".traineddata") } }
        guard let code = languages.first(where: { !installed($0) }) else {
            let joined = languages.joined(separator: "+")
            throw OCRError(.engineFailed("the languages \(joined) are in different folders; name one that holds them all"))
        }
        throw OCRError(.languageDataMissing(language: code, searched: folders, debianPackage: debianPackage(for: code)))
    }
}
