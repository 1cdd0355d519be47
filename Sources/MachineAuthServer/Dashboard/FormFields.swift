import MachineAuthCore

/// Typed reading of a dashboard form. Numbers go through ``WholeNumber`` against the ranges of
/// ``InputLimits``, like every number the server reads; a bad one is a ``ValidationError``
/// naming the field, which the page shows next to it.
struct FormFields: Sendable {
    let parameters: RequestParameters

    init(_ parameters: RequestParameters) {
        self.parameters = parameters
    }

    /// The field's value as sent (`""` when absent; the first when repeated).
    func raw(_ name: String) -> String {
        parameters.all(name).first ?? ""
    }

    /// The value without surrounding spaces.
    func text(_ name: String) -> String {
        raw(name).trimmingASCIIWhitespace
    }

    /// The trimmed value, `nil` when empty.
    func optional(_ name: String) -> String? {
        let value = text(name)
        return value.isEmpty ? nil : value
    }

    /// Words separated by spaces, commas or line breaks (scopes, audiences, events).
    func words(_ name: String) -> [String] {
        raw(name).split { $0 == " " || $0 == "," || $0.isNewline || $0 == "\t" }.map(String.init)
    }

    /// Every value of a repeated field (checkboxes, multiple selections), empty ones left out.
    func all(_ name: String) -> [String] {
        parameters.all(name).filter { !$0.isEmpty }
    }

    /// Whether a checkbox was ticked.
    func isChecked(_ name: String) -> Bool {
        !parameters.all(name).isEmpty
    }

    /// A whole number within `range`; `nil` when the field is empty.
    func number(_ name: String, in range: ClosedRange<Int>) throws(ValidationError) -> Int? {
        guard let text = optional(name) else { return nil }
        do {
            return try WholeNumber.parse(text, in: range)
        } catch {
            throw ValidationError(name, error.description)
        }
    }

    /// `key=value` lines (metadata); a line without `=` is a ``ValidationError``.
    func pairs(_ name: String) throws(ValidationError) -> [String: String] {
        var pairs: [String: String] = [:]
        for line in raw(name).split(whereSeparator: \.isNewline) where !line.trimmingASCIIWhitespace.isEmpty {
            guard let equals = line.firstIndex(of: "=") else { throw ValidationError(name, "each line must read key=value") }
            pairs[String(line[..<equals]).trimmingASCIIWhitespace] = String(line[line.index(after: equals)...]).trimmingASCIIWhitespace
        }
        return pairs
    }

    /// Every field as text (for filling a form in again after an error; passwords excluded by the caller).
    var values: [String: String] {
        parameters.values.compactMapValues(\.first)
    }
}
