import Hummingbird
import MachineAuthCore

/// An error as the client is told it: the JSON body (`error`, `error_description`, maybe
/// `field`), the status and extra headers (challenges, `Retry-After`, `Allow`).
struct Refusal: Sendable {
    var body: JSONValue
    var status: HTTPResponse.Status
    var headers: HTTPFields

    init(_ body: JSONValue, _ status: HTTPResponse.Status, _ headers: HTTPFields = [:]) {
        self.body = body
        self.status = status
        self.headers = headers
    }

    var code: String { body.objectValue?["error"]?.stringValue ?? "" }
    var message: String { body.objectValue?["error_description"]?.stringValue ?? "" }
    var field: String? { body.objectValue?["field"]?.stringValue }
}
