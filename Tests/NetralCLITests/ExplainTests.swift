import Foundation
import NetralTestSupport
import Testing

/// `netral explain` as an analyst tunes recall with it: text from an argument or standard
/// input, a publish date for race windows, a target's subject from the configuration, and the
/// rules that nearly fired or were held back, in text and JSON. Also `rules test`'s wording
/// for `expect_includes:` examples.
@Suite struct ExplainTests {
    /// One rule with a dated candidate, an identity that must describe the author, a call to
    /// vote, and neutrality education that holds it back.
    static let pack = """
        format: 1
        pack: uji-jelaskan
        version: "1"
        window: {from: 2023-11-28, to: 2024-02-10}
        signals:
          paslon:
            kind: candidate
            terms: [prabowo, anies, ganjar]
          jabatan:
            kind: asn
            terms: [camat, pns, kepala desa]
          saya:
            kind: speaker
            identifies: {target: asn, after: 1}
            terms: [saya]
          ajakan:
            kind: support
            terms: [{term: coblos, affixes: verb}]
          netralitas:
            kind: context
            terms: [netralitas, bawaslu]
        rules:
          - id: asn-ajak-coblos
            act: A2
            severity: high
            when: "jabatan[self] and paslon[window] and ajakan"
            unless: netralitas

        """

    static let config = """
        format: 1
        rules: uji-jelaskan.yaml
        state: state.sqlite
        evidence: evidence
        fetch: {user_agent: "Netral-uji/1.0 (+https://contoh.test/kontak)"}
        targets:
          - id: akun-camat
            kind: page
            url: https://contoh.test/camat-sukamaju
            subject: {name: Budi Santoso, role: Camat, agency: Kecamatan Sukamaju}
          - id: akun-warga
            kind: page
            url: https://contoh.test/warga

        """

    let folder: TemporaryFolder
    let pack: String
    let config: String

    init() throws {
        folder = try TemporaryFolder()
        pack = try folder.write("uji-jelaskan.yaml", Self.pack)
        config = try folder.write("netral.yaml", Self.config)
    }

    func explain(_ arguments: [String], input: String? = nil) async throws -> NetralProcess.Ended {
        try await NetralProcess.run(["explain"] + arguments, input: input)
    }

    func json(_ ended: NetralProcess.Ended) throws -> [String: Any] {
        let items = try #require((try JSONSerialization.jsonObject(with: Data(ended.output.utf8)) as? [String: Any])?["items"] as? [Any])
        return try #require(items.first as? [String: Any])
    }

    @Test func textFromAnArgumentIsJudgedAsAPostOnTheDateGiven() async throws {
        let post = "Saya camat, ayo coblos Prabowo!"
        let dated = try await explain(["--rules", pack, "--text", post, "--published", "2024-01-20"])
        #expect(dated.status == 0, "\(dated.errors)")
        #expect(dated.output.contains("--text (text): 1 item(s)"), "\(dated.output)")
        #expect(dated.output.contains("published: 2024-01-20T00:00:00Z"))
        #expect(dated.output.contains("VIOLATION HIGH asn-ajak-coblos"), "\(dated.output)")

        // Undated, or dated after the race: the candidate is outside its window, and explain says so.
        for published in [[], ["--published", "2024-03-01T09:00:00+07:00"]] {
            let outside = try await explain(["--rules", pack, "--text", post] + published)
            #expect(outside.status == 0, "\(outside.errors)")
            #expect(!outside.output.contains("VIOLATION"), "\(outside.output)")
            #expect(outside.output.contains("nearly fired (one part missing):"), "\(outside.output)")
            #expect(outside.output.contains("missing: paslon[window] (out_of_scope: "), "\(outside.output)")
            #expect(outside.output.contains("held: jabatan[self], ajakan"), "\(outside.output)")
        }
    }

    @Test func textFromStandardInputIsJudgedLikeTheArgument() async throws {
        let piped = try await explain(["--rules", pack, "-", "--published", "2024-01-20"], input: "Saya camat,\nayo coblos Prabowo!\n")
        #expect(piped.status == 0, "\(piped.errors)")
        #expect(piped.output.contains("- (text): 1 item(s)"), "\(piped.output)")
        #expect(piped.output.contains("url: text:-"))
        #expect(piped.output.contains("VIOLATION HIGH asn-ajak-coblos"), "\(piped.output)")

        let empty = try await explain(["--rules", pack, "-"], input: "")
        #expect(empty.status == 2 && empty.errors.contains("standard input is empty"), "\(empty.errors)")
        let nothing = try await explain(["--rules", pack])
        #expect(nothing.status == 64 && nothing.errors.contains("--text TEXT, or - to read text from standard input"), "\(nothing.errors)")
        let both = try await explain(["--rules", pack, "-", "--text", "coblos"])
        #expect(both.status == 64 && both.errors.contains("either a source or --text"), "\(both.errors)")
    }

    @Test func aBadDateNamesTheOptionAndWhy() async throws {
        let impossible = try await explain(["--rules", pack, "--text", "coblos", "--published", "2024-02-30"])
        #expect(impossible.status == 64)
        #expect(impossible.errors.contains("--published") && impossible.errors.contains("'2024-02-30' is not a day of the calendar"))
        for written in ["20-01-2024", "2024-01-20 08:00", "kemarin", "2024-01-20T08:00:00"] {
            let bad = try await explain(["--rules", pack, "--text", "coblos", "--published", written])
            #expect(bad.status == 64, "\(written)")
            #expect(
                bad.errors.contains("--published") && bad.errors.contains("'\(written)' is not a date: write a day as YYYY-MM-DD"),
                "\(bad.errors)")
        }
    }

    @Test func aTargetsSubjectDescribesTheAuthorAndItsRulesApply() async throws {
        // The post does not say who is speaking; the target's subject (a camat) does.
        let post = ["--text", "Ayo coblos Prabowo, jangan lupa tanggal 14!", "--published", "2024-01-20"]
        let known = try await explain(["--config", config, "--target", "akun-camat"] + post)
        #expect(known.status == 0, "\(known.errors)")
        #expect(known.output.contains("VIOLATION HIGH asn-ajak-coblos"), "\(known.output)")
        // Another target of the same configuration: the same rules, no subject.
        let citizen = try await explain(["--config", config, "--target", "akun-warga"] + post)
        #expect(citizen.status == 0, "\(citizen.errors)")
        #expect(!citizen.output.contains("VIOLATION"))
        #expect(citizen.output.contains("missing: jabatan[self] (absent: "), "\(citizen.output)")

        let unknown = try await explain(["--config", config, "--target", "akun-lain"] + post)
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("no target 'akun-lain' in \(config); known: akun-camat, akun-warga"), "\(unknown.errors)")
        let missing = try await explain(["--config", folder.path + "/tidak-ada.yaml", "--target", "akun-camat"] + post)
        #expect(missing.status == 2 && missing.errors.contains("tidak-ada.yaml"), "\(missing.errors)")
    }

    @Test func nearMissesAndHeldBackRulesAreInTheJSON() async throws {
        // Someone else's office named, not the author's own: identity is there but out of scope.
        let reported = try await explain([
            "--rules", pack, "--format", "json", "--published", "2024-01-20",
            "--text", "Kemarin camat Sukamaju mengajak warga coblos Prabowo.",
        ])
        #expect(reported.status == 0, "\(reported.errors)")
        let nearly = try json(reported)
        #expect((nearly["findings"] as? [Any])?.isEmpty == true)
        let diagnosis = try #require(nearly["diagnosis"] as? [String: Any])
        let miss = try #require((diagnosis["near_misses"] as? [[String: Any]])?.first)
        #expect(miss["rule"] as? String == "asn-ajak-coblos")
        #expect(miss["pack"] as? String == "uji-jelaskan")
        #expect(miss["held"] as? [String] == ["paslon[window]", "ajakan"])
        let part = try #require(miss["missing"] as? [String: Any])
        #expect(part["condition"] as? String == "jabatan[self]")
        #expect(part["reason"] as? String == "out_of_scope")
        #expect((diagnosis["held_back"] as? [Any])?.isEmpty == true)

        let educated = try await explain([
            "--rules", pack, "--format", "json", "--published", "2024-01-20",
            "--text", "Saya camat, coblos Prabowo? Jangan! Ingat netralitas ASN.",
        ])
        let heldItem = try json(educated)
        let held = try #require(((heldItem["diagnosis"] as? [String: Any])?["held_back"] as? [[String: Any]])?.first)
        #expect(held["rule"] as? String == "asn-ajak-coblos")
        #expect(held["unless"] as? String == "netralitas")
        #expect(held["blocked_by"] as? [String] == ["netralitas"])
        #expect((held["hits"] as? [[String: Any]])?.compactMap { $0["quote"] as? String } == ["netralitas"])

        let text = try await explain([
            "--rules", pack, "--published", "2024-01-20",
            "--text", "Saya camat, coblos Prabowo? Jangan! Ingat netralitas ASN.",
        ])
        #expect(text.output.contains("held back by unless:\n    asn-ajak-coblos (A2, uji-jelaskan)   unless: netralitas"), "\(text.output)")
        #expect(text.output.contains("blocked by: netralitas   hits: 'netralitas' (body)"), "\(text.output)")
    }

    @Test func rulesTestSaysExpectedAtLeastForExpectIncludes() async throws {
        let set = try folder.write(
            "set.yaml",
            """
            format: 1
            items:
              - {id: paling-sedikit, text: "Ayo coblos Prabowo", published: 2024-01-20, expect_includes: [asn-ajak-coblos]}
              - {id: persis, text: "Ayo coblos Prabowo", published: 2024-01-20, expect: [asn-ajak-coblos]}

            """)
        let tested = try await NetralProcess.run(["rules", "test", pack, "--fixtures", set])
        #expect(tested.status == 1)
        #expect(tested.output.contains("FAIL paling-sedikit"))
        #expect(tested.output.contains("  expected at least: asn-ajak-coblos\n"), "\(tested.output)")
        #expect(tested.output.contains("  expected: asn-ajak-coblos\n"), "\(tested.output)")
        let json = try await NetralProcess.run(["rules", "test", pack, "--fixtures", set, "--format", "json"])
        let failures = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])?["failures"] as? [[String: Any]])
        #expect(failures.map { $0["expect_includes"] as? Bool } == [true, false])
    }
}
