import Foundation
import Mustache

/// The dashboard's templates, stylesheet and script: the SwiftPM resource bundle
/// `machineauth_MachineAuthServer.resources` beside the binary, read and parsed once per
/// process, so no request reads a file.
///
/// ```swift
/// let resources = try DashboardResources.shared.get()
/// let html = resources.templates.render(view, withTemplate: "agents")
/// ```
struct DashboardResources: Sendable {
    static let bundleName = "machineauth_MachineAuthServer.resources"

    let templates: MustacheLibrary
    let stylesheet: DashboardAsset
    let script: DashboardAsset

    /// Loaded at first use (the application builder asks at start-up); a missing or broken
    /// bundle is an error the dashboard's routes answer with 503 instead of crashing.
    static let shared: Result<DashboardResources, DashboardUnavailable> = {
        do {
            return .success(try load())
        } catch let unavailable as DashboardUnavailable {
            return .failure(unavailable)
        } catch {
            return .failure(DashboardUnavailable(reason: "the dashboard's resources cannot be read: \(error)"))
        }
    }()

    /// The assets by their content-hashed file names.
    func asset(named name: String) -> DashboardAsset? {
        [stylesheet, script].first { $0.fileName == name }
    }

    static func load() throws -> DashboardResources {
        guard let directory = bundleDirectory() else {
            throw DashboardUnavailable(reason: "\(bundleName) (the dashboard's templates and assets) is not beside the machineauth binary")
        }
        let root = directory.appendingPathComponent("Resources")
        var library = MustacheLibrary()
        let templates = root.appendingPathComponent("templates")
        for file in try FileManager.default.contentsOfDirectory(atPath: templates.path).sorted() where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            do {
                try library.register(text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw DashboardUnavailable(reason: "dashboard template \(file) does not parse: \(error)")
            }
        }
        let assets = root.appendingPathComponent("assets")
        return DashboardResources(
            templates: library,
            stylesheet: try DashboardAsset(file: assets.appendingPathComponent("dashboard.css"), contentType: "text/css; charset=utf-8"),
            script: try DashboardAsset(file: assets.appendingPathComponent("dashboard.js"), contentType: "text/javascript; charset=utf-8"))
    }

    /// Where SwiftPM puts the bundle: beside the executable (also when started through a symbolic link).
    static func bundleDirectory() -> URL? {
        var candidates = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent()) }
        return candidates.map { $0.appendingPathComponent(bundleName) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}

/// Why the dashboard cannot be served.
struct DashboardUnavailable: Error, Sendable, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
