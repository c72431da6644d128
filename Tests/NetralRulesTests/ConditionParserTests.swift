import NetralTestSupport
import Testing
@testable import NetralRules

@Suite struct ConditionParserTests {
    @Test func parsesPrecedenceAndParentheses() throws {
        let (condition, names) = try ConditionParser.parse("asn and (candidate or party) and not context")
        #expect(condition == .and([.name("asn"), .or([.name("candidate"), .name("party")]), .not(.name("context"))]))
        #expect(names.map(\.name) == ["asn", "candidate", "party", "context"])
    }

    @Test func orBindsLooserThanAnd() throws {
        let (condition, _) = try ConditionParser.parse("a and b or c")
        #expect(condition == .or([.and([.name("a"), .name("b")]), .name("c")]))
    }

    @Test func parsesCountsAnyOfAndNear() throws {
        #expect(try ConditionParser.parse("2 of (asn, support, gesture)").0 == .atLeast(2, [.name("asn"), .name("support"), .name("gesture")]))
        #expect(try ConditionParser.parse("any of (paslon-01, paslon-02)").0 == .atLeast(1, [.name("paslon-01"), .name("paslon-02")]))
        #expect(try ConditionParser.parse("near(asn, support, 8)").0 == .near("asn", "support", 8))
    }

    @Test(arguments: [
        ("asn and", 7, "ends too early"),
        ("asn and (candidate", 18, "expected ')'"),
        ("asn && support", 4, "unexpected character '&'"),
        ("asn support", 4, "unexpected 'support'"),
        ("4 of (a, b)", 0, "between 1 and 2"),
        ("near(asn, support)", 17, "expected ','"),
    ])
    func reportsTheColumnOfTheBadToken(text: String, offset: Int, message: String) {
        do {
            _ = try ConditionParser.parse(text)
            Issue.record("expected a syntax error for '\(text)'")
        } catch {
            #expect(error.offset == offset)
            #expect(error.message.contains(message), "message was: \(error.message)")
        }
    }

    @Test func descriptionRoundTrips() throws {
        let text = "asn and (candidate or party) and not context"
        let (condition, _) = try ConditionParser.parse(text)
        #expect(condition.description == text)
    }
}
