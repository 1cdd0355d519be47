import MachineAuthCore

/// Reads the Prometheus text exposition format (as `/metrics` writes it) into families of
/// samples, for the dashboard's metrics page.
///
/// ```swift
/// let families = PrometheusText.parse("# TYPE up gauge\nup{job=\"a\"} 1\n")   // [up: [({job: a}, 1)]]
/// ```
enum PrometheusText {
    struct Sample: Sendable {
        var name: String
        var labels: [(name: String, value: String)]
        var value: Double
    }

    struct Family: Sendable {
        var name: String
        var type = "untyped"
        var help = ""
        var samples: [Sample] = []
    }

    static func parse(_ text: String) -> [Family] {
        var families: [Family] = []
        var index: [String: Int] = [:]
        func family(_ name: String) -> Int {
            if let known = index[name] { return known }
            families.append(Family(name: name))
            index[name] = families.count - 1
            return families.count - 1
        }
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1)
                guard let name = parts.first else { continue }
                let rest = parts.count > 1 ? String(parts[1]) : ""
                if line.hasPrefix("# TYPE ") { families[family(String(name))].type = rest } else { families[family(String(name))].help = rest }
            } else if !line.hasPrefix("#"), let sample = sample(line) {
                families[family(familyName(of: sample.name, known: index))].samples.append(sample)
            }
        }
        return families
    }

    /// `name{a="b",c="d"} value [timestamp]`; `nil` for anything else.
    static func sample(_ line: Substring) -> Sample? {
        let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
        let name = String(line[..<nameEnd])
        var labels: [(String, String)] = []
        var rest = line[nameEnd...]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let equals = rest.firstIndex(of: "=") {
                let label = String(rest[..<equals]).trimmingASCIIWhitespace
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character == "n" ? "\n" : character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
                labels.append((label, value))
                if rest.first == "," { rest = rest.dropFirst() }
                if rest.first == "}" { break }
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        guard !name.isEmpty, let text = rest.split(separator: " ").first, let value = Double(text) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    /// Histogram and summary samples (`_bucket`, `_sum`, `_count`) belong to their family.
    static func familyName(of sample: String, known: [String: Int]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if known[base] != nil { return base }
        }
        return sample
    }
}
