import MachineAuthCore

/// A count with its noun, as a list's caption says it: `Counted.text(1, "agent")` is
/// "1 agent", `Counted.text(1234, "record")` is "1,234 records".
enum Counted {
    static func text(_ count: Int, _ noun: String) -> String {
        "\(NumberRangeError.format(count)) \(count == 1 ? noun : noun + "s")"
    }
}
