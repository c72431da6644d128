import Foundation
import NetralFetch
import NetralModel
import NetralStore

/// What a source's head start may use in the concurrent fetch stage: the engine, robots.txt,
/// the state to read (never to write) and the judge with a workspace of its own.
struct FetchStage: Sendable {
    let target: Target
    let engine: FetchEngine
    let robots: RobotsGate
    let store: StateStore
    let judge: Judge

    /// What the state remembers of a URL's last fetch; a state error aborts the run.
    func memory(url: String) throws -> FetchMemory? {
        try PageSink.state { try store.fetchMemory(url: url) }
    }
}
