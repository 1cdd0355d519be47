import Hummingbird

/// `GET /dashboard/assets/{file}`: the stylesheet and the script under their content-hashed
/// names, cacheable for a year (`immutable`), with an `ETag` for revalidation.
struct AssetRoutes: Sendable {
    let resources: DashboardResources

    func register(on router: DashboardRouter) {
        router.get("/dashboard/assets/{file}") { page in
            guard let asset = resources.asset(named: try page.parameter("file")) else { throw APIError.notFound("asset") }
            var headers: HTTPFields = [
                .cacheControl: "public, max-age=31536000, immutable", .eTag: asset.etag, .xContentTypeOptions: "nosniff",
            ]
            if page.request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
            headers[.contentType] = asset.contentType
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
        }
    }
}
