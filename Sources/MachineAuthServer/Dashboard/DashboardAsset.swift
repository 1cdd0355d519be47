import Crypto
import Foundation
import NIOCore

/// The stylesheet or the script, served under a name that carries a hash of its content
/// (`dashboard.3f9a0c1d2e.css`), so browsers may keep it for a year and a new build is
/// fetched at once.
struct DashboardAsset: Sendable {
    /// The content-hashed name, as pages link it.
    let fileName: String
    let contentType: String
    let body: ByteBuffer
    /// A strong validator: the hash, quoted.
    let etag: String

    init(file: URL, contentType: String) throws {
        let data = try Data(contentsOf: file)
        let digest = SHA256.hash(data: data).prefix(5).map { String(format: "%02x", $0) }.joined()
        let base = file.deletingPathExtension().lastPathComponent
        fileName = "\(base).\(digest).\(file.pathExtension)"
        self.contentType = contentType
        body = ByteBuffer(bytes: data)
        etag = "\"\(digest)\""
    }

    /// The path pages link.
    var path: String { "/dashboard/assets/\(fileName)" }
}
