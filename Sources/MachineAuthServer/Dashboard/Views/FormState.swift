import Hummingbird
import MachineAuthCore

/// A form as the page shows it again: the values sent, and a message per field (or for the
/// whole form) when the server refused them.
struct FormState: Sendable {
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    /// A problem that belongs to no single field.
    var problem: String?

    init(values: [String: String] = [:]) {
        self.values = values
    }

    var hasErrors: Bool { !errors.isEmpty || problem != nil }

    /// Records why the server refused the form — with the status and message the API would
    /// give — and returns that status; `nil` for errors that are no fault of the form (the
    /// caller rethrows those: sign-in, permissions, storage).
    /// - Parameter notFoundField: the field whose choice a 404 is about (a chosen organization).
    mutating func refuse(_ error: any Error, _ page: DashboardRequest, notFoundField: String? = nil) -> HTTPResponse.Status? {
        let refusal = ErrorMiddleware.refusal(for: error, request: page.request, context: page.context)
        let status = refusal.status
        guard (400..<500).contains(status.code), status != .unauthorized, status != .forbidden else { return nil }
        if let field = refusal.field ?? (status == .notFound ? notFoundField : nil) {
            let message = refusal.field == nil ? refusal.message : String(refusal.message.dropFirst(field.count + 2))
            errors[field] = DashboardErrorPage.sentence(message)
        } else if status == .notFound {
            return nil
        } else {
            problem = DashboardErrorPage.sentence(refusal.message)
        }
        return status
    }
}
