import NetralEvidence
import NetralFetch
public import NetralStore

extension ScanConfig {
    /// How decisions made under this configuration are sealed: signed with `signing_key`, the
    /// head anchored in the evidence folder, and time-stamped by `timestamp_authorities` when
    /// `timestamps` is set (a command; the desk anchors without, so a slow authority never holds
    /// up a reviewer's click).
    public func reviewSeal(timestamps: Bool) throws -> ReviewSeal {
        let signer = try signingKeyPath.map { path throws(EvidenceError) in try ManifestSigner(keyFile: path) }
        var timestamper: Timestamper?
        if timestamps && !timestampAuthorities.isEmpty {
            timestamper = Timestamper(authorities: timestampAuthorities, send: FetchEngine(options: fetch).timestampSender)
        }
        return ReviewSeal(signer: signer, anchorRoot: evidencePath, timestamper: timestamper)
    }
}
