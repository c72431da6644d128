import Foundation
import Testing
@testable import NetralRules

/// A NIP an operator typed is checked with the detector's own rules.
@Suite struct NIPCheckTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func validNIPsPassPlainOrGrouped() {
        #expect(NIPCheck.problem(in: "197805122005012003", now: now) == nil)
        #expect(NIPCheck.problem(in: "19780512 200501 2 003", now: now) == nil)
        #expect(NIPCheck.problem(in: "19780512.200501.2.003", now: now) == nil)
        // A PPPK NI: appointment year, 2, contract count.
        #expect(NIPCheck.problem(in: "19851009 2021 22 1 004", now: now) == nil)
    }

    @Test func badNIPsSayWhy() {
        #expect(NIPCheck.problem(in: "19780512 20050120", now: now) == "a NIP is 18 digits, found 16")
        #expect(NIPCheck.problem(in: "19780512  200501 2 003", now: now) == "a NIP is 18 digits (plain or grouped by single spaces or dots)")
        #expect(NIPCheck.problem(in: "NIP 197805122005012003", now: now) == "a NIP is 18 digits (plain or grouped by single spaces or dots)")
        // Appointed at 11, gender digit 3, a 13th month.
        for number in ["197805121990012003", "197805122005013003", "197813122005012003"] {
            #expect(NIPCheck.problem(in: number, now: now)?.hasPrefix("not a valid NIP") == true, "\(number)")
        }
    }
}
