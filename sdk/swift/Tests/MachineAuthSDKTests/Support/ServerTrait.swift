import Testing

/// `@Suite(.servers(.standard, .signing("ES256")))`: machineauth servers started (side by side)
/// before the suite's tests and stopped after them; a test reaches one as `try Running.get(.standard)`.
struct ServerTrait: SuiteTrait, TestScoping {
    let options: [ServerOptions]

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        var started: [String: Running] = [:]
        var failure: (any Error)?
        await withTaskGroup(of: Result<Running, any Error>.self) { group in
            for options in options {
                group.addTask {
                    do {
                        let server = try await TestServer.start(options)
                        do {
                            return .success(try await Running(server: server, options: options))
                        } catch {
                            await server.stop()
                            return .failure(error)
                        }
                    } catch {
                        return .failure(error)
                    }
                }
            }
            for await result in group {
                switch result {
                case .success(let running): started[running.options.name] = running
                case .failure(let error): failure = error
                }
            }
        }
        do {
            if let failure { throw failure }
            let servers = Running.servers.merging(started) { $1 }
            try await Running.$servers.withValue(servers) { try await function() }
        } catch {
            for running in started.values { await running.server.stop() }
            throw error
        }
        for running in started.values { await running.server.stop() }
    }
}

extension Trait where Self == ServerTrait {
    static func servers(_ options: ServerOptions...) -> ServerTrait { ServerTrait(options: options) }
}
