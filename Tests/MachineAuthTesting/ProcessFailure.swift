/// A test set-up step that failed (a server process, a test database), with what it printed.
public struct ProcessFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
