import MachineAuthCore

extension HTTP {
    /// Creates agents `<prefix>-0`, `<prefix>-1`, … one after another until `count` exist or a
    /// request fails (the server was killed), recording each id the server acknowledged.
    func createAgents(named prefix: String, count: Int, token: String, into acknowledged: Acknowledged) async {
        for index in 0..<count {
            guard let reply = try? await send("POST", "/api/agents", token: token, json: ["name": .string("\(prefix)-\(index)")]),
                reply.status == 201, let id = reply["agent"]?.objectValue?["id"]?.stringValue
            else { return }
            acknowledged.add(id)
        }
    }
}
