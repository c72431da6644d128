import Foundation
import NetralModel
import NetralPlatforms
import NetralTestSupport

/// The bytes of `Fixtures/platforms/<path>`.
func fixture(_ path: String) throws -> Data {
    let file = repositoryRoot + "/Fixtures/platforms/" + path
    guard let data = FileManager.default.contents(atPath: file) else {
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file])
    }
    return data
}

/// A fixture as the answer to `url`.
func answer(_ path: String, url: String, status: Int = 200, requestURL: String? = nil, retryAfter: String? = nil) throws -> PlatformInput {
    PlatformInput(
        body: try fixture(path), url: url, requestURL: requestURL, status: status, retryAfter: retryAfter,
        receivedAt: Date(timeIntervalSince1970: 1_706_200_000))
}

/// `2024-01-25T02:15:00Z` as a date.
func utc(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}
