import Foundation
public import NetralYAML

/// A labelled fixture site (`Fixtures/<site>/manifest.yaml`): each page and the rule ids it must
/// give. Used by `netral demo`, the end-to-end test and CI to check findings against labels.
public struct SiteManifest: Sendable {
    public struct Page: Sendable, Equatable {
        /// Relative to the site folder.
        public var path: String
        /// Rule ids that must fire; empty means no finding.
        public var expect: [String]
        public var note: String?
    }

    public var site: String
    public var pages: [Page]

    public static func load(siteFolder: String) throws(DiagnosticsError) -> SiteManifest {
        let path = (siteFolder as NSString).appendingPathComponent("manifest.yaml")
        let (root, _) = try YAMLDocument.load(path: path)
        var diagnostics = DiagnosticList()
        var manifest = SiteManifest(site: (siteFolder as NSString).lastPathComponent, pages: [])
        if let mapping = root.mapping("a site manifest", into: &diagnostics) {
            mapping.checkKeys(
                allowed: ["format", "site", "description", "pages"], required: ["format", "pages"], in: "the site manifest",
                into: &diagnostics)
            if let site = mapping["site"]?.string("site", into: &diagnostics) { manifest.site = site }
            for pageValue in mapping["pages"]?.sequence("pages", into: &diagnostics) ?? [] {
                guard let page = pageValue.mapping("a page", into: &diagnostics) else { continue }
                page.checkKeys(allowed: ["path", "expect", "note"], required: ["path", "expect"], in: "a page", into: &diagnostics)
                guard let pagePath = page["path"]?.string("path", into: &diagnostics) else { continue }
                let expect = (page["expect"]?.sequence("expect", into: &diagnostics) ?? []).compactMap {
                    $0.string("a rule id", into: &diagnostics)
                }
                let note = page["note"]?.string("note", into: &diagnostics)
                if !FileManager.default.fileExists(atPath: (siteFolder as NSString).appendingPathComponent(pagePath)), let at = page["path"]
                {
                    diagnostics.append(at.diagnostic("page '\(pagePath)' does not exist in \(siteFolder)"))
                }
                manifest.pages.append(Page(path: pagePath, expect: expect.sorted(), note: note))
            }
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics.sorted) }
        return manifest
    }

    /// Compares a scan's findings with the labels. `findingsByPage` maps a page path to the
    /// rule ids that fired on it. Returns one line per page that differs.
    public func mismatches(findingsByPage: [String: [String]]) -> [String] {
        pages.compactMap { page in
            let actual = Array(Set(findingsByPage[page.path] ?? [])).sorted()
            guard actual != page.expect else { return nil }
            let expected = page.expect.isEmpty ? "no finding" : page.expect.joined(separator: ", ")
            let got = actual.isEmpty ? "no finding" : actual.joined(separator: ", ")
            return "\(page.path): expected \(expected), got \(got)"
        }
    }
}
