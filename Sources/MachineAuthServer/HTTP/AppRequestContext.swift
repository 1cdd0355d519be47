public import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus who is calling and from where.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's address.
    public let peerAddress: String?
    /// The client's address: the peer, or the `X-Forwarded-For` client when the peer is a trusted proxy.
    public var clientAddress: String?
    /// Whether the TCP peer is one of `TRUSTED_PROXIES` (whose forwarded headers count).
    public var fromTrustedProxy = false
    /// `http` or `https` as seen by the client (from `X-Forwarded-Proto` of a trusted proxy).
    public var scheme: String = "http"
    /// The request id (from `X-Request-Id`, or generated), also in every log line of the request.
    public var requestID: String = ""
    /// The caller, once the route's access rule admitted it (``AccessGate``).
    var identity: AccessScope?
    /// What the handlers learned for the request's log line (the caller).
    public let notes = RequestNotes()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
        clientAddress = peerAddress
    }

    /// Bodies are read by ``RequestBodyReader`` with the configured limit; this caps Hummingbird's own decoding.
    public var maxUploadSize: Int { 1_048_576 }
}
