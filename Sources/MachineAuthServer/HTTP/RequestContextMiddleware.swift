import Foundation
import Hummingbird
import Logging
import MachineAuthCore

/// Fills in the request id, the real client address and scheme (believing forwarding headers
/// only from trusted proxies), logs one line per request, and echoes `X-Request-Id`.
struct RequestContextMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: [IPAddressRange]
    let telemetry: Telemetry

    init(trustedProxies: [String], telemetry: Telemetry) {
        self.trustedProxies = trustedProxies.compactMap(IPAddressRange.init)
        self.telemetry = telemetry
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let supplied = request.headers[.xRequestID].flatMap { $0.count <= 128 && !$0.isEmpty ? $0 : nil }
        context.requestID = supplied ?? RandomToken.hex(bytes: 8)
        if context.logger.logLevel <= .info {
            // Only worth a metadata copy when info lines are written.
            context.logger[metadataKey: "request_id"] = .string(context.requestID)
        }
        if let peer = context.peerAddress, isTrusted(peer) {
            context.fromTrustedProxy = true
            context.clientAddress = forwardedClient(request) ?? peer
            if let proto = request.headers[.xForwardedProto]?.split(separator: ",").first {
                context.scheme = proto.trimmingASCIIWhitespace.lowercased()
            }
        }
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorMiddleware.response(for: error, request: request, context: context)
        }
        response.headers[.xRequestID] = context.requestID
        let elapsed = started.duration(to: .now)
        telemetry.request(
            route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code, duration: elapsed)
        if context.logger.logLevel <= .info {
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            var metadata: Logger.Metadata = [
                "client": .string(context.clientAddress ?? "-"),
                "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(Int(response.status.code)),
                "ms": .stringConvertible((milliseconds * 10).rounded() / 10),
            ]
            for (key, value) in context.notes.logMetadata { metadata[key] = .string(value) }
            context.logger.info("\(request.method) \(request.uri.path) \(response.status.code)", metadata: metadata)
        }
        return response
    }

    private func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// The right-most `X-Forwarded-For` address that is not itself a trusted proxy; `nil` (the
    /// peer counts) when a hop is not an IP address at all.
    private func forwardedClient(_ request: Request) -> String? {
        guard let header = request.headers[.xForwardedFor] else { return nil }
        let hops = header.split(separator: ",").map { $0.trimmingASCIIWhitespace }.filter { !$0.isEmpty }
        guard hops.allSatisfy({ IPAddressRange.parse($0) != nil }) else { return nil }
        return hops.reversed().first { !isTrusted($0) } ?? hops.first
    }
}
