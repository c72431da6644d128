import ArgumentParser
import Foundation
import NetralCases
import NetralEvidence
import NetralScan
import NetralStore
import NetralYAML

/// Where a command finds the state and the evidence: `--config` (default `netral.yaml`), or
/// `--state` and `--evidence` on their own, each overriding the configuration's.
struct StateOptions: ParsableArguments {
    @Option(help: "Configuration file (default: netral.yaml, unless both --state and --evidence are given).")
    var config: String?

    @Option(help: "State database, or a postgres:// URL (overrides the configuration's).")
    var state: String?

    @Option(help: "Evidence folder (overrides the configuration's).")
    var evidence: String?

    /// The state and the evidence folder, opened as `access` says (`.readOnly` never creates or
    /// changes it; `.existing` refuses what is not a Netral state), and how the review log's
    /// appends are sealed: with the configuration's key and authorities, anchored in the
    /// evidence folder. Exit 2 when the configuration is invalid or the state does not exist yet.
    func open(command: String, access: StateAccess) throws -> (store: StateStore, evidence: String, seal: ReviewSeal) {
        var statePath = state
        var passwordEnvironment: String?
        var evidencePath = evidence
        var loadedConfig: ScanConfig?
        if let configPath = config ?? (state != nil && evidence != nil ? nil : "netral.yaml") {
            do {
                let loaded = try ScanConfig.load(path: configPath)
                loadedConfig = loaded
                if statePath == nil {
                    statePath = loaded.statePath
                    passwordEnvironment = loaded.statePasswordEnvironment
                }
                evidencePath = evidencePath ?? loaded.evidencePath
            } catch {
                throw CommandFailure.invalidInput(error.description)
            }
        }
        guard let statePath, let evidencePath else {
            throw CommandFailure.invalidInput("netral \(command): give --config, or both --state and --evidence")
        }
        let location: StateLocation
        do {
            location = try StateLocation.parse(statePath, passwordEnvironment: passwordEnvironment)
        } catch {
            throw CommandFailure.invalidInput("netral \(command): \(statePath): \(error)")
        }
        if case .sqlite(let file) = location, !FileManager.default.fileExists(atPath: file) {
            throw CommandFailure.invalidInput("netral \(command): \(file): no state database yet (run netral scan first)")
        }
        var seal = ReviewSeal(signer: nil, anchorRoot: evidencePath)
        do {
            if let loadedConfig { seal = try loadedConfig.reviewSeal(timestamps: true) }
        } catch {
            throw CommandFailure.invalidInput("netral \(command): \(error)")
        }
        seal.anchorRoot = evidencePath
        do {
            return (try StateStore(location: location, access: access), evidencePath, seal)
        } catch let error as StateFileError {
            throw CommandFailure.invalidInput("netral \(command): \(error)")
        } catch {
            throw CommandFailure.runtime("netral \(command): \(statePath): \(error)")
        }
    }
}

extension Netral {
    struct Case: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "case",
            abstract: "Write one case ready to file: the filled report form (HTML, DOCX, PDF) and the case's ZIP.",
            discussion: """
                ID is a case id or a unique prefix of one (at least 4 characters). Writes into --output: \
                formulir-kasus-ID.html (printable), formulir-kasus-ID.docx, formulir-kasus-ID.pdf (through headless \
                Chromium when it is installed; otherwise said, and the rest is still written) and kasus-ID.zip (the \
                report, the form, every file of the case file as its manifest lists it with SHA256SUMS, and a \
                chain-of-custody sheet). The form is Formulir Model B.1 (Formulir Laporan) of Perbawaslu 7/2022, the \
                same fields as in Perbawaslu 9/2024; the reporter's own identity is left for the reporter. An existing \
                file is never replaced without --force. Exit codes: 0 written; 2 invalid configuration or no state; \
                3 the case file cannot be read or a file cannot be written; 64 unknown or ambiguous id, or a file exists.
                """
        )

        @Argument(help: "Case id or a unique prefix of one.")
        var id: String

        @Option(help: "Folder to write into (made when missing).")
        var output = "."

        @Flag(help: "Replace files of an earlier run.")
        var force = false

        @Flag(name: .customLong("no-pdf"), help: "Do not make the PDF.")
        var noPDF = false

        @Option(help: "The Chromium executable for the PDF (default: chromium, chromium-browser or google-chrome on PATH).")
        var chromium: String?

        @OptionGroup var location: StateOptions

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger()
            let (store, evidence, _) = try location.open(command: "case", access: .existing)
            let caseFile: StoredCaseFile
            do {
                caseFile = try store.resolveCaseFile(id)
            } catch let error as ReviewError {
                throw CommandFailure.usage("netral case: \(error)")
            }
            let package: CasePackage
            do {
                package = try CasePackage(store: store, evidenceRoot: evidence, caseFile: caseFile)
            } catch let problem as CaseRecordProblem {
                throw CommandFailure.runtime("netral case: \(problem)")
            }
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure.runtime("netral case: \(output): \(error.localizedDescription)")
            }
            func path(_ name: String) -> String { (output as NSString).appendingPathComponent(name) }
            let html = path("formulir-\(package.stem).html")
            let docx = path("formulir-\(package.stem).docx")
            let pdf = path("formulir-\(package.stem).pdf")
            let zip = path("\(package.stem).zip")
            if !force {
                let existing = [html, docx, pdf, zip].filter { FileManager.default.fileExists(atPath: $0) }
                if !existing.isEmpty {
                    throw CommandFailure.usage("netral case: \(existing.joined(separator: ", ")) already exist(s); give --force to replace")
                }
            }
            let formHTML = Data(package.form.html().utf8)
            var pdfData: Data?
            if !noPDF {
                switch ChromiumPrinter.pdf(of: formHTML, executable: chromium) {
                case .success(let data): pdfData = data
                case .failure(let reason): printError("netral case: no PDF: \(reason.message)")
                }
            }
            do {
                try CaseFileFacts.replaceFile(formHTML, at: html)
                try CaseFileFacts.replaceFile(try package.docx(), at: docx)
                if let pdfData { try CaseFileFacts.replaceFile(pdfData, at: pdf) }
                try package.writeZip(to: zip, pdf: pdfData)
            } catch {
                throw CommandFailure.runtime("netral case: \(error)")
            }
            printOut("case file \(caseFile.id): \(package.record.reportedPerson.name ?? "(terlapor belum dikenali)")")
            for written in [html, docx] + (pdfData == nil ? [] : [pdf]) + [zip] { printOut("  \(written)") }
        }
    }
}

/// A page printed to PDF by headless Chromium: the page from a private temporary folder, no
/// network (the form loads nothing), a fresh profile, a time limit.
enum ChromiumPrinter {
    struct Failure: Error {
        var message: String
    }

    static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    static let timeLimit: TimeInterval = 90

    /// The executable: the one given, else the first candidate on PATH.
    static func executable(_ given: String?) -> String? {
        if let given { return FileManager.default.isExecutableFile(atPath: given) ? given : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in candidates {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static func pdf(of html: Data, executable given: String?) -> Result<Data, Failure> {
        guard let executable = executable(given) else {
            return .failure(
                Failure(
                    message: given.map { "\($0) is not an executable" }
                        ?? "Chromium is not installed (apt-get install chromium, or give --chromium PATH); "
                        + "the HTML form prints to PDF from any browser"
                ))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netral-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let page = folder.appendingPathComponent("formulir.html")
            try html.write(to: page)
            let output = folder.appendingPathComponent("formulir.pdf")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions", "--disable-sync",
                "--user-data-dir=\(folder.appendingPathComponent("profil").path)", "--no-pdf-header-footer",
                "--print-to-pdf=\(output.path)", page.absoluteString,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(timeLimit)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            if process.isRunning {
                process.terminate()
                return .failure(Failure(message: "\(executable) did not finish within \(Int(timeLimit)) s"))
            }
            guard let data = try? Data(contentsOf: output), data.starts(with: Data("%PDF".utf8)) else {
                return .failure(Failure(message: "\(executable) exited \(process.terminationStatus) without a PDF"))
            }
            return .success(data)
        } catch {
            return .failure(Failure(message: "\(executable): \(error.localizedDescription)"))
        }
    }
}
