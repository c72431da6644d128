import NetralExtract
import NetralModel
import Logging

extension Target.Kind {
    /// A local WARC file captured by another tool (`path:`), read record by record.
    public static let warc = Target.Kind(rawValue: "warc")
}

/// A WARC file through the pipeline's one WARC loop (`WARCRecords`): memory stays flat however
/// large the file; each record with a page, a feed or API JSON is judged and recorded in its
/// own transaction, its items keeping the record they were read from. A damaged tail fails the
/// target after what came before it was judged. Nothing is fetched: an archived page's
/// pictures are what the archive holds.
struct WARCSource: TargetSource {
    static let row = SourceRow(kind: .warc, location: .path, source: { _ in WARCSource() })

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let records = try scan.sink.judge.pipeline.records(ofWARC: scan.target.url)
        do {
            while let (capture, extraction) = try records.next() {
                scan.countRead()
                for warning in extraction.warnings {
                    scan.logger.info("extraction warning", metadata: ["url": "\(capture.finalURL)", "warning": "\(warning)"])
                }
                try await scan.sink.judge(capture, items: extraction.items, record: .read, fetchesImages: false, in: scan)
            }
        } catch let damage as CapturePipeline.WARCDamage {
            for warning in damage.warnings { scan.logger.warning("WARC warning", metadata: ["warning": "\(warning)"]) }
            throw TargetError(damage.message)
        }
        for warning in records.warnings { scan.logger.warning("WARC warning", metadata: ["warning": "\(warning)"]) }
    }
}
