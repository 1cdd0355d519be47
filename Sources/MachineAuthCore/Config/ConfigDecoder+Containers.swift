import Foundation

/// Keyed access to a mapping; every key asked about is remembered so the rest are "unknown".
struct KeyedConfigContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ConfigNodeDecoder
    let entries: [ConfigNode.Entry]
    let use: DecodingLedger.MappingUse?

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        use?.readAllKeys = true
        return entries.compactMap { Key(stringValue: $0.key) }
    }

    private func entry(_ key: Key) -> ConfigNode.Entry? {
        use?.readKeys.insert(key.stringValue)
        return entries.first { $0.key == key.stringValue }
    }

    func contains(_ key: Key) -> Bool {
        entry(key) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let entry = entry(key) else { return true }
        if case .null = entry.value.kind { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let entry = entry(key) else {
            decoder.record("missing required key \"\(key.stringValue)\"")
            let missing = ConfigNode(.null, at: decoder.node.location)
            return try decoder.child(missing, key: key, suppressed: true).decodeValue(T.self)
        }
        return try decoder.child(entry.value, key: key).decodeValue(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try superDecoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        decoder
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let node = entry(key)?.value ?? ConfigNode(.null, at: decoder.node.location)
        return decoder.child(node, key: key)
    }
}

/// Sequential access to a list.
struct UnkeyedConfigContainer: UnkeyedDecodingContainer {
    let decoder: ConfigNodeDecoder
    let items: [ConfigNode]
    private(set) var currentIndex = 0

    init(decoder: ConfigNodeDecoder, items: [ConfigNode]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private struct IndexKey: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    private mutating func nextDecoder() throws -> ConfigNodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "the list has too few items"))
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = items[currentIndex].kind else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try nextDecoder().decodeValue(T.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nextDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try nextDecoder()
    }
}

/// A single scalar. Wrong values are reported and replaced by a placeholder so decoding goes on.
struct SingleValueConfigContainer: SingleValueDecodingContainer {
    let decoder: ConfigNodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.node.kind { return true }
        return false
    }

    private func text(expecting expectation: String) -> String? {
        if case .scalar(let text, _) = decoder.node.kind { return text }
        if !(decoder.suppressed) { decoder.record("expected \(expectation), got \(decoder.node.shapeDescription)") }
        return nil
    }

    func decode(_ type: String.Type) throws -> String {
        text(expecting: "a string") ?? ""
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let text = text(expecting: "true or false") else { return false }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            decoder.record("expected true or false, got \"\(text)\"")
            return false
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let text = text(expecting: "a number") else { return 0 }
        let limit = Double(InputLimits.configIntegers.upperBound)
        guard let value = Double(text), value.isFinite, abs(value) <= limit else {
            decoder.record("expected a number between -\(limit) and \(limit), got \"\(text)\"")
            return 0
        }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    /// Whole numbers go through ``WholeNumber`` like every other input, within
    /// ``InputLimits/configIntegers`` (and the type); each setting's own range is checked by its validation.
    private func integer<I: FixedWidthInteger>(_ type: I.Type) -> I {
        guard let text = text(expecting: "a whole number") else { return 0 }
        let range = max(InputLimits.configIntegers.lowerBound, I.isSigned ? Int(clamping: I.min) : 0)...min(InputLimits.configIntegers.upperBound, Int(clamping: I.max))
        guard let value = try? WholeNumber.parse(text.replacingOccurrences(of: "_", with: ""), in: range), let typed = I(exactly: value) else {
            decoder.record("expected a whole number between \(NumberRangeError.format(range.lowerBound)) and \(NumberRangeError.format(range.upperBound)), got \"\(text)\"")
            return 0
        }
        return typed
    }

    func decode(_ type: Int.Type) throws -> Int { integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeValue(T.self)
    }
}
