import Hummingbird
import MachineAuthCore

extension CredentialPresentation {
    /// The credentials of an HTTP request, for the authenticator stages.
    static func from(
        _ request: Request, context: AppRequestContext, parameters: RequestParameters, purpose: CredentialPurpose
    ) -> CredentialPresentation {
        var headers: [String: String] = [:]
        for field in request.headers where field.name.canonicalName != "authorization" {
            headers[field.name.canonicalName] = field.value
        }
        return CredentialPresentation(
            purpose: purpose, authorization: request.headers[.authorization], headers: headers,
            parameters: parameters.firstValues, remoteAddress: context.clientAddress)
    }
}

extension AppRequestContext {
    /// Where the request came from, for events and audit records.
    func origin(_ request: Request) -> RequestOrigin {
        RequestOrigin(ipAddress: clientAddress, userAgent: request.headers[.userAgent], requestID: requestID)
    }
}
