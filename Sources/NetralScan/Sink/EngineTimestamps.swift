import Foundation
public import NetralEvidence
public import NetralFetch
import NetralModel

extension FetchEngine {
    /// RFC 3161 queries through this engine: its address policy (an authority on a private
    /// address needs `allow_private`), its User-Agent and a 1 MiB cap on the reply; one try per
    /// authority (the next authority is the retry), never paced like a crawled site. Blocks the
    /// calling thread: the case-file writer calls it from a thread of its own.
    public var timestampSender: TimestampSender {
        { query in
            let request = FetchRequest(
                url: query.url, method: "POST", body: Data(query.body),
                headers: [
                    HTTPHeader(name: "Content-Type", value: TimestampQuery.contentType),
                    HTTPHeader(name: "Accept", value: TimestampQuery.replyType),
                ],
                allowPrivate: query.allowPrivate, retry: RetryPolicy(attempts: 1, baseDelay: 0, retryAfterCap: 0),
                connectTimeout: min(query.timeout, self.options.connectTimeout), totalTimeout: query.timeout,
                bodyLimit: .refuseAbove(TimestampQuery.maxReplyBytes), paced: false)
            let capture = try self.fetchWaiting(request).capture
            return (capture.status, Array(capture.body))
        }
    }
}
