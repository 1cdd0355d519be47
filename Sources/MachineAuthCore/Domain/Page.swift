/// A page number and size, 1-based, as the API's `page` and `limit` parameters, clamped to
/// ``InputLimits/page`` and ``InputLimits/pageSize`` so the offset can never overflow.
public struct PageRequest: Sendable, Hashable {
    public let page: Int
    public let limit: Int

    public init(page: Int = 1, limit: Int = 20) {
        self.page = page.clamped(to: InputLimits.page)
        self.limit = limit.clamped(to: InputLimits.pageSize)
    }

    /// At most 999,999 × 500: far inside `Int`.
    public var offset: Int { (page - 1) * limit }
}

/// One page of results and the total across all pages.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var request: PageRequest

    public init(items: [Item], total: Int, request: PageRequest) {
        self.items = items
        self.total = total
        self.request = request
    }

    public var totalPages: Int { total == 0 ? 0 : (total + request.limit - 1) / request.limit }

    /// Slices an already filtered and ordered collection.
    public static func slice(_ all: [Item], _ request: PageRequest) -> Page<Item> {
        let start = min(request.offset, all.count)
        let end = min(start + request.limit, all.count)
        return Page(items: Array(all[start..<end]), total: all.count, request: request)
    }
}

extension Comparable {
    /// The value, moved into `range` when it lies outside.
    public func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
