import ArgumentParser
import Foundation
import NetralRules
import NetralYAML

extension Netral.Rules {
    /// `netral rules generate`: named for what it does to packs (generates them), like `check` and
    /// `test` beside it; `--kpu` says where from. The packs are derived, not copied: names are
    /// read into the forms people write, regions into their common forms, numbers into phrases.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate rule packs for every race from KPU's candidate lists and an overlay.",
            discussion: """
                Reads the Pilkada pairs, regions and legislative candidate lists under --kpu (the layout of \
                ../shared/corpora/kpu, see Rules/pemilu-2024/README.md) and the overlay files in --overlay \
                (words for names, regions and ballot numbers, election windows, curated nicknames), and \
                writes the packs into --out. The same input gives byte-identical packs. A file in --out that \
                this command did not write is never replaced. With --check nothing is written: exits 1 when \
                a pack in --out differs from what would be generated. Records that cannot be read are skipped \
                and listed.
                """
        )

        @Option(help: "Folder of the KPU lists (pilkada2024/, dct2024/ inside, as the overlay's 'sources' names them).")
        var kpu: String

        @Option(help: "Folder of the overlay files.")
        var overlay: String = "Rules/pemilu-2024/overlay"

        @Option(help: "Folder to write the packs into.")
        var out: String = "Rules/pemilu-2024"

        @Flag(help: "Write nothing; exit 1 when the packs in --out are not what would be generated.")
        var check = false

        func run() async throws {
            let packs: GeneratedPacks
            do {
                packs = try PackGenerator.generate(kpuDirectory: kpu, overlayDirectory: overlay)
            } catch {
                printError(error.description)
                throw ExitStatus.invalidInput
            }
            for warning in packs.warnings { printError("warning: \(warning)") }
            if check {
                let differing = packs.differences(in: out)
                for path in differing { printOut("differs: \((out as NSString).appendingPathComponent(path))") }
                if !differing.isEmpty { throw ExitStatus.findings }
                printOut("ok: \(packs.files.count) pack(s) in \(out) are as generated")
                return
            }
            let changed: [String]
            do {
                changed = try packs.write(to: out)
            } catch {
                printError(error.description)
                throw ExitStatus.runtimeFailure
            }
            for line in packs.summary { printOut(line) }
            printOut(
                "\(packs.files.count) pack(s) in \(out), \(changed.count) changed, \(packs.warnings.count) record(s) skipped or unused")
        }
    }
}
