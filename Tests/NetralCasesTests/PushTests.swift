import Foundation
import NetralFetch
import NetralCaseFixtures
import NetralStore
import NetralTestSupport
import NIOCore
import Testing
@testable import NetralCases

@Suite struct PushTests {
    static let token = Receiver.token

    /// The engine a push sends through (the receiver is the only host: no pacing to wait for).
    static let engine = FetchEngine(options: FetchOptions(perHostDelay: 0))

    func destination(_ receiver: Receiver, kind: Destination.Kind = .webhook, attempts: Int = 5) -> Destination {
        Destination(
            name: "pelacak", kind: kind, url: receiver.base + (kind == .webhook ? "/kasus" : ""), tokenVariable: "NETRAL_UJI_TOKEN",
            allowPrivate: true, connectTimeout: 2, timeout: 1, attempts: attempts, retryBaseDelay: 0.01, retryAfterCap: 5)
    }

    @Test func everyMisbehaviourIsRetriedARefusalStopsOnlyItsCaseFileAndTheTokenStaysSecret() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(6, confirmed: [0, 1, 2, 3, 4], dismissed: [5])
        let refusedID = ids[1]
        // Case file 0 meets a 500, a 429 asking for 1 s, a hang, a reset, then a slow 201;
        // case file 1 is refused with the receiver's reason; the rest are accepted slowly.
        let receiver = try await Receiver.start { number, key in
            switch number {
            case 1: .refuse(status: 500, body: "sedang pemeliharaan")
            case 2: .refuse(status: 429, headers: ["Retry-After: 1"])
            case 3: .keepAndHang
            case 4: .keepAndReset
            default:
                key == refusedID
                    ? .refuse(status: 422, body: "{\"error\":\"NIP tidak valid untuk instansi ini\"}") : .accept(delay: .milliseconds(150))
            }
        }
        defer { Task { try? await receiver.stop() } }
        let pusher = try CasePusher(
            store: fixtures.store, evidenceRoot: fixtures.evidence, destination: destination(receiver),
            engine: Self.engine, environment: ["NETRAL_UJI_TOKEN": Self.token])
        var lines: [String] = []
        let outcome = try await pusher.run(report: { lines.append($0) })
        #expect(outcome.sent == [ids[0], ids[2], ids[3], ids[4]])
        #expect(outcome.rejected.map(\.caseID) == [refusedID])
        #expect(outcome.rejected.first?.status == 422)
        #expect(outcome.rejected.first?.message.contains("NIP tidak valid") == true)
        #expect(outcome.stoppedBecause == nil)
        #expect(lines.contains("retry \(ids[0]) in 1 s: HTTP 429"), "Retry-After: 1 is honoured: \(lines)")
        #expect(Set(receiver.log.keptBodies.keys) == [ids[0], ids[2], ids[3], ids[4]])
        let requests = receiver.log.all
        #expect(requests.count == 9)
        #expect(
            requests.allSatisfy {
                $0.headers["authorization"] == "Bearer \(Self.token)" && $0.headers["content-type"] == "application/json"
            })
        #expect(requests.allSatisfy { $0.path == "/kasus" })
        // The body is the case record, keyed by its id.
        let body = try #require(receiver.log.keptBodies[ids[2]])
        let object = try #require(JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["id"] as? String == ids[2] && object["status"] as? String == "confirmed")
        #expect(try fixtures.store.deliveries(destination: "pelacak").map(\.caseID) == [ids[0], ids[2], ids[3], ids[4]])
        #expect(!lines.joined().contains(Self.token))

        // The token is nowhere in the state.
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: fixtures.statePath + suffix) ?? Data()
            #expect(bytes.firstRange(of: Data(Self.token.utf8)) == nil)
        }

        // A second push tries only the refused one again.
        let second = try await pusher.run()
        #expect(second.sent.isEmpty && second.rejected.map(\.caseID) == [refusedID])
        #expect(receiver.log.all.count == 10)
    }

    @Test func aReceiverThatStaysDownStopsThePushAndLosesNothing() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(3, confirmed: [0, 1, 2])
        let down = try await Receiver.start { _, _ in .refuse(status: 503, headers: ["Retry-After: 0"]) }
        let stopped = try await CasePusher(
            store: fixtures.store, evidenceRoot: fixtures.evidence, destination: destination(down, attempts: 3),
            engine: Self.engine, environment: ["NETRAL_UJI_TOKEN": Self.token]
        ).run()
        try await down.stop()
        #expect(stopped.sent.isEmpty && stopped.notTried == 3)
        #expect(stopped.stoppedBecause?.contains("HTTP 503") == true)
        #expect(down.log.all.count == 3, "one case file, three attempts, then stop")
        #expect(try fixtures.store.deliveries(destination: "pelacak").isEmpty)

        let up = try await Receiver.start { _, _ in .accept() }
        defer { Task { try? await up.stop() } }
        let done = try await CasePusher(
            store: fixtures.store, evidenceRoot: fixtures.evidence, destination: destination(up),
            engine: Self.engine, environment: ["NETRAL_UJI_TOKEN": Self.token]
        ).run()
        #expect(done.sent == ids && done.isComplete)
        // Nothing refused to start without its token.
        #expect(throws: PushError.missingToken(destination: "pelacak", variable: "NETRAL_UJI_TOKEN")) {
            try CasePusher(
                store: fixtures.store, evidenceRoot: fixtures.evidence, destination: destination(up), engine: Self.engine, environment: [:])
        }
    }

    @Test func aLoopbackReceiverIsRefusedUnlessTheDestinationAllowsIt() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        try fixtures.populate(1, confirmed: [0])
        let receiver = try await Receiver.start { _, _ in .accept() }
        defer { Task { try? await receiver.stop() } }
        var closed = destination(receiver)
        closed.allowPrivate = false
        let outcome = try await CasePusher(
            store: fixtures.store, evidenceRoot: fixtures.evidence, destination: closed,
            engine: Self.engine, environment: ["NETRAL_UJI_TOKEN": Self.token]
        ).run()
        #expect(outcome.sent.isEmpty)
        #expect(outcome.stoppedBecause?.contains("refused to connect to 127.0.0.1") == true)
        #expect(receiver.log.all.isEmpty, "no byte reaches a private address")
    }

    @Test func aRedirectIsNotFollowedSoTheTokenNeverTravels() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(1, confirmed: [0])
        let receiver = try await Receiver.start { number, _ in
            number == 1 ? .refuse(status: 307, headers: ["Location: http://127.0.0.2:9/curi"], body: "pindah") : .accept()
        }
        defer { Task { try? await receiver.stop() } }
        let outcome = try await CasePusher(
            store: fixtures.store, evidenceRoot: fixtures.evidence, destination: destination(receiver),
            engine: Self.engine, environment: ["NETRAL_UJI_TOKEN": Self.token]
        ).run()
        #expect(outcome.rejected == [PushOutcome.Rejection(caseID: ids[0], status: 307, message: "pindah")])
        #expect(receiver.log.all.count == 1)
        #expect(try fixtures.store.deliveries(destination: "pelacak").isEmpty)
    }

    @Test func theHiveHoldsOneAlertPerCaseFileWhenAPushIsRepeated() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(3, confirmed: [0, 1, 2])
        let receiver = try await Receiver.start { _, _ in .theHive }
        defer { Task { try? await receiver.stop() } }
        // As if a push was killed after TheHive created the first alert, before it was marked sent.
        receiver.log.keep(ids[0], Data("{}".utf8))
        let outcome = try await CasePusher(
            store: fixtures.store, evidenceRoot: fixtures.evidence, destination: destination(receiver, kind: .thehive),
            engine: Self.engine, environment: ["NETRAL_UJI_TOKEN": Self.token]
        ).run()
        #expect(outcome.alreadyThere == [ids[0]])
        #expect(outcome.sent == [ids[1], ids[2]])
        #expect(receiver.log.all.allSatisfy { $0.path == "/api/v1/alert" })
        let kept = try #require(receiver.log.keptBodies[ids[1]])
        let alert = try #require(JSONSerialization.jsonObject(with: kept) as? [String: Any])
        #expect(
            alert["sourceRef"] as? String == ids[1] && alert["source"] as? String == "netral"
                && alert["type"] as? String == "netralitas-asn")
        #expect(try fixtures.store.deliveries(destination: "pelacak").count == 3)
    }
}
