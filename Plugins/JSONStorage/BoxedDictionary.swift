/// A dictionary that keeps each value behind a reference, iterated as its values.
///
/// A hash table sized for 100,000 agents has 262,144 buckets; with `Agent` stored inline that is
/// about 70 MB of mostly empty table, and a snapshot that shares the table makes the next change
/// copy all of it. Behind a reference a bucket costs a pointer. Values are immutable once
/// stored: setting a key replaces its box.
struct BoxedDictionary<Value: Sendable>: Sendable, Sequence {
    final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var storage: [String: Box]

    init(minimumCapacity: Int = 0) {
        storage = Dictionary(minimumCapacity: minimumCapacity)
    }

    var count: Int { storage.count }

    subscript(key: String) -> Value? {
        get { storage[key]?.value }
        set { storage[key] = newValue.map(Box.init) }
    }

    @discardableResult
    mutating func removeValue(forKey key: String) -> Value? {
        storage.removeValue(forKey: key)?.value
    }

    func makeIterator() -> LazyMapSequence<Dictionary<String, Box>.Values, Value>.Iterator {
        storage.values.lazy.map(\.value).makeIterator()
    }

    var underestimatedCount: Int { storage.count }
}
