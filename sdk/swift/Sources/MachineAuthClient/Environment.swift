public import Foundation

extension MachineAuthClient {
    /// The variable holding the server's base URL.
    public static let urlVariable = "MACHINEAUTH_URL"
    /// The variable holding the agent's client id.
    public static let clientIDVariable = "MACHINEAUTH_CLIENT_ID"
    /// The variable holding the agent's client secret.
    public static let clientSecretVariable = "MACHINEAUTH_CLIENT_SECRET"

    /// An agent's client from `MACHINEAUTH_URL`, `MACHINEAUTH_CLIENT_ID` and
    /// `MACHINEAUTH_CLIENT_SECRET` (of the process, or of `environment`); a
    /// `configuration_error` names the first one missing.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, configuration: Configuration = .init()
    ) throws -> MachineAuthClient {
        func read(_ name: String) throws -> String {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw MachineAuthError.configuration("\(name) is not set")
            }
            return value
        }
        return MachineAuthClient(
            baseURL: try read(urlVariable), clientID: try read(clientIDVariable), clientSecret: try read(clientSecretVariable),
            configuration: configuration)
    }
}
