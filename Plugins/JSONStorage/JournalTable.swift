/// One table of the JSON store: rows by key, each behind a reference, with the keys the
/// current change touched, so a commit can journal exactly what it changed.
///
/// A hash table sized for 100,000 agents has 262,144 buckets; with `Agent` stored inline that is
/// about 70 MB of mostly empty table, and a snapshot that shares the table makes the next change
/// copy all of it. Behind a reference a bucket costs a pointer. Boxes are immutable once stored
/// (setting a key replaces its box), so a snapshot taken for compaction never sees later changes.
///
/// ```swift
/// table["id"] = agent            // journaled as a put of "id"
/// let changes = table.takeChanges()   // [("id", agent)]
/// ```
struct JournalTable<Value: Sendable>: Sendable, Sequence {
    final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var rows: [String: Box]
    private var touched: [String] = []
    /// Which rows belong in ``markedKeys`` (webhook deliveries still to send), if the table keeps such an index.
    private let marks: (@Sendable (Value) -> Bool)?
    /// The keys of the rows `marks` accepts, kept up to date by every write, so a query for
    /// them costs what they number, not what the table has ever held.
    private(set) var markedKeys: Set<String> = []

    init(minimumCapacity: Int = 0, marking marks: (@Sendable (Value) -> Bool)? = nil) {
        rows = Dictionary(minimumCapacity: minimumCapacity)
        self.marks = marks
    }

    private mutating func mark(_ key: String, _ value: Value?) {
        guard let marks else { return }
        if let value, marks(value) { markedKeys.insert(key) } else { markedKeys.remove(key) }
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }

    /// Reading and writing a row; a write is recorded for the journal.
    subscript(key: String) -> Value? {
        get { rows[key]?.value }
        set {
            rows[key] = newValue.map(Box.init)
            mark(key, newValue)
            touched.append(key)
        }
    }

    @discardableResult
    mutating func removeValue(forKey key: String) -> Value? {
        guard let removed = rows.removeValue(forKey: key) else { return nil }
        mark(key, nil)
        touched.append(key)
        return removed.value
    }

    /// Removes every row `shouldRemove` accepts; returns how many.
    @discardableResult
    mutating func removeAll(where shouldRemove: (Value) -> Bool) -> Int {
        let keys = rows.compactMap { shouldRemove($0.value.value) ? $0.key : nil }
        for key in keys { removeValue(forKey: key) }
        return keys.count
    }

    /// Sets a row without journaling it: replaying the journal, or counters journaled apart.
    mutating func restore(_ key: String, _ value: Value?) {
        rows[key] = value.map(Box.init)
        mark(key, value)
    }

    /// The rows written (`Value`) and removed (`nil`) since the last call, each key once.
    mutating func takeChanges() -> [(key: String, value: Value?)] {
        guard !touched.isEmpty else { return [] }
        if touched.count == 1 {
            // The common case (one row per request): no set to build.
            defer { touched.removeAll(keepingCapacity: true) }
            return [(key: touched[0], value: rows[touched[0]]?.value)]
        }
        var seen = Set<String>()
        let changes = touched.filter { seen.insert($0).inserted }.map { (key: $0, value: rows[$0]?.value) }
        touched.removeAll(keepingCapacity: true)
        return changes
    }

    /// Forgets the touched keys (the caller journals nothing for them).
    mutating func discardChanges() {
        touched.removeAll()
    }

    mutating func reserveCapacity(_ count: Int) {
        rows.reserveCapacity(count)
    }

    func makeIterator() -> LazyMapSequence<Dictionary<String, Box>.Values, Value>.Iterator {
        rows.values.lazy.map(\.value).makeIterator()
    }

    var underestimatedCount: Int { rows.count }
}

extension JournalTable {
    /// Every row with its key.
    var keyedRows: [(String, Value)] {
        rows.map { ($0.key, $0.value.value) }
    }
}
