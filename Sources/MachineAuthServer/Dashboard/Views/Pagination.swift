import MachineAuthCore

/// "Page 2 of 7" with links to the neighbouring pages, keeping the list's filters.
struct Pagination: Sendable {
    var page: Int
    var totalPages: Int
    var previous: String?
    var next: String?
    var isNeeded: Bool

    init<Item>(_ result: Page<Item>, path: String, query: [(String, String?)]) {
        page = result.request.page
        totalPages = max(result.totalPages, 1)
        isNeeded = result.totalPages > 1
        let kept = query.compactMap { name, value in value.map { "\(name)=\(SessionPages.encode($0))" } }
            + (result.request.limit == 20 ? [] : ["limit=\(result.request.limit)"])
        func link(_ number: Int) -> String { path + "?" + (kept + ["page=\(number)"]).joined(separator: "&") }
        previous = page > 1 ? link(page - 1) : nil
        next = page < result.totalPages ? link(page + 1) : nil
    }
}
