import Testing

/// Everything an agent does, against one real server (RS256, one-hour tokens); the nested
/// suites live in the files named after them.
@Suite(.servers(.standard))
struct AgentTests {
    static let api = "https://api.example.com"
    static let billing = "https://billing.example.com"
}
