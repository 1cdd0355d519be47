extension StringProtocol {
    /// The parts between occurrences of an ASCII `separator`, split on UTF-8 bytes — never on
    /// grapheme clusters, so a `/` followed by a combining mark or a zero-width joiner still
    /// separates (`String.split` would keep `/` + U+0301 as one character). Empty parts are dropped.
    public func splitBytes(_ separator: UInt8) -> [Substring] {
        let text = Substring(self)
        var parts: [Substring] = []
        var start = text.utf8.startIndex
        var index = start
        while index < text.utf8.endIndex {
            if text.utf8[index] == separator {
                if start < index { parts.append(Substring(text.utf8[start..<index])) }
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        if start < text.utf8.endIndex { parts.append(Substring(text.utf8[start..<text.utf8.endIndex])) }
        return parts
    }
}
