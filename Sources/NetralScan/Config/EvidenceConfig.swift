import Foundation
import NetralEvidence
import NetralStore
import NetralYAML

/// The configuration's state and evidence: `state`, `state_password_env`, `evidence`,
/// `signing_key` and `timestamp_authorities`.
enum EvidenceConfig {
    static func parse(_ mapping: YAMLMapping, paths: ConfigPaths, into config: inout ScanConfig, diagnostics: inout DiagnosticList) {
        let stateValue = mapping["state"]
        let state = stateValue.flatMap { $0.string("state", into: &diagnostics) } ?? ScanConfig.defaultStatePath
        config.statePath = StateLocation.isURL(state) ? state : paths.resolve(state)
        config.statePasswordEnvironment = mapping["state_password_env"].flatMap { $0.string("state_password_env", into: &diagnostics) }
        if let stateValue, StateLocation.isURL(state) {
            do {
                _ = try PostgresLocation(url: state)
            } catch {
                // The URL is not echoed: it might hold a password.
                diagnostics.append(stateValue.diagnostic("\(error)"))
            }
        } else if let variable = mapping["state_password_env"] {
            diagnostics.append(variable.diagnostic("state_password_env applies only to a postgres:// state"))
        }
        config.evidencePath = paths.resolve(
            mapping["evidence"].flatMap { $0.string("evidence", into: &diagnostics) } ?? ScanConfig.defaultEvidencePath)
        config.signingKeyPath = mapping["signing_key"].flatMap { $0.string("signing_key", into: &diagnostics) }.map(paths.resolve)
        for entry in mapping["timestamp_authorities"]?.sequence("timestamp_authorities", into: &diagnostics) ?? [] {
            guard let authority = entry.mapping("a time-stamping authority", into: &diagnostics) else { continue }
            authority.checkKeys(
                allowed: ["url", "certificate", "allow_private"], required: ["url", "certificate"], in: "a time-stamping authority",
                into: &diagnostics)
            let allowPrivate = authority["allow_private"].flatMap { $0.boolean("allow_private", into: &diagnostics) } ?? false
            guard let url = authority["url"]?.string("url", into: &diagnostics),
                let certificateValue = authority["certificate"],
                let certificate = certificateValue.string("certificate", into: &diagnostics)
            else { continue }
            do {
                config.timestampAuthorities.append(
                    try TimestampAuthority(url: url, certificateFile: paths.resolve(certificate), allowPrivate: allowPrivate))
            } catch {
                diagnostics.append(certificateValue.diagnostic(error.message))
            }
        }
    }
}
