/// Finds where JSON values begin and end without decoding them, so a large snapshot can be
/// decoded one row at a time: the decoder's temporaries stay small, and the rows that stay in
/// memory are allocated close together instead of between a whole document's leftovers.
///
/// ```swift
/// var scanner = JSONScanner(bytes)
/// for (key, value) in try scanner.members() { … }       // the top-level object
/// for row in try JSONScanner.elements(of: value, in: bytes) { decode(bytes[row]) }
/// ```
/// Only structure is checked here (strings, nesting, separators); each value's contents are
/// checked by whoever decodes it. Malformed input is an error, never a trap.
struct JSONScanner {
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "malformed JSON at byte \(offset)" }
    }

    private let bytes: UnsafeRawBufferPointer
    private var index: Int

    init(_ bytes: UnsafeRawBufferPointer, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// The members of the object starting at the current position: each key (unescaped keys
    /// only; others are returned raw) with its value's byte range.
    mutating func members() throws(Malformed) -> [(key: String, value: Range<Int>)] {
        var members: [(key: String, value: Range<Int>)] = []
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") { index += 1; return members }
        while true {
            skipWhitespace()
            let keyRange = try skipValue()
            guard bytes[keyRange.lowerBound] == UInt8(ascii: "\""), keyRange.count >= 2 else { throw Malformed(offset: keyRange.lowerBound) }
            let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(keyRange.lowerBound + 1)..<(keyRange.upperBound - 1)]), as: UTF8.self)
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            members.append((key, try skipValue()))
            guard try separator(closing: UInt8(ascii: "}")) else { return members }
        }
    }

    /// The byte ranges of the elements of the array at `range`.
    static func elements(of range: Range<Int>, in bytes: UnsafeRawBufferPointer) throws(Malformed) -> [Range<Int>] {
        var scanner = JSONScanner(bytes, at: range.lowerBound)
        var elements: [Range<Int>] = []
        try scanner.expect(UInt8(ascii: "["))
        if try scanner.peek() == UInt8(ascii: "]") { return elements }
        while true {
            scanner.skipWhitespace()
            elements.append(try scanner.skipValue())
            guard try scanner.separator(closing: UInt8(ascii: "]")) else { return elements }
        }
    }

    /// Whether nothing but whitespace follows the current position.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private mutating func peek() throws(Malformed) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw Malformed(offset: index) }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard try peek() == byte else { throw Malformed(offset: index) }
        index += 1
    }

    /// After a member or element: `true` for a comma, `false` for the closing bracket.
    private mutating func separator(closing: UInt8) throws(Malformed) -> Bool {
        let byte = try peek()
        index += 1
        if byte == UInt8(ascii: ",") { return true }
        if byte == closing { return false }
        throw Malformed(offset: index - 1)
    }

    /// Moves past one value (string, number, literal, object or array) and returns its range.
    private mutating func skipValue() throws(Malformed) -> Range<Int> {
        let start = index
        guard index < bytes.count else { throw Malformed(offset: index) }
        guard bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "\"") else {
            while index < bytes.count, !Self.endsScalar(bytes[index]) { index += 1 }
            guard index > start else { throw Malformed(offset: start) }
            return start..<index
        }
        var depth = 0
        repeat {
            guard index < bytes.count else { throw Malformed(offset: start) }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
                guard index < bytes.count else { throw Malformed(offset: start) }
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            index += 1
        } while depth > 0
        return start..<index
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ":"), 0x20, 0x0A, 0x0D, 0x09: true
        default: false
        }
    }
}
