import Foundation
import MachineAuthCore

/// The geometry of an inline SVG line chart, computed on the server; the `chart` template
/// draws it with presentation attributes and classes only (no inline style, so the strict
/// Content-Security-Policy holds), and names every figure in its accessible description.
struct LineChart: Sendable {
    struct Series: Sendable {
        /// The CSS class (colour) and legend text.
        var kind: String
        var label: String
        var total: Int
        /// `x,y x,y …` in the view box.
        var points: String
    }

    struct GridLine: Sendable {
        var y: String
        var label: String
    }

    struct AxisLabel: Sendable {
        var x: String
        var text: String
    }

    var id: String
    var title: String
    var summary: String
    var series: [Series]
    var gridLines: [GridLine]
    var axisLabels: [AxisLabel]

    // The view box and the plot area inside it (stored, since templates read stored properties).
    var width = 640
    var height = 200
    var plotLeft = 44
    var plotRight = 628
    var axisY = 194
    static let width = 640.0, height = 200.0, left = 44.0, right = 12.0, top = 10.0, bottom = 26.0

    /// Issued, refreshed and failed token requests per bucket; every `labelEvery`-th bucket
    /// gets its start time (UTC) under the axis.
    static func rates(_ buckets: [RateBucket], id: String, title: String, span: String, labelEvery: Int) -> LineChart {
        let kinds: [(RateHistory.Kind, String, String)] = [(.issued, "issued", "issued"), (.refreshed, "refreshed", "refreshed"), (.failed, "failed", "failed")]
        let peak = niceCeiling(buckets.map { max($0.issued, $0.refreshed, $0.failed) }.max() ?? 0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ index: Int) -> Double { left + plotWidth * Double(index) / Double(max(buckets.count - 1, 1)) }
        func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / Double(peak)) }
        let series = kinds.map { kind, name, label in
            Series(
                kind: name, label: label, total: buckets.reduce(0) { $0 + $1.count(kind) },
                points: buckets.enumerated().map { "\(format(x($0.offset))),\(format(y($0.element.count(kind))))" }.joined(separator: " "))
        }
        let grid = [0, peak / 2, peak].map { GridLine(y: format(y($0)), label: String($0)) }
        let labels = buckets.indices.filter { $0 % max(labelEvery, 1) == 0 }.map { AxisLabel(x: format(x($0)), text: clock(buckets[$0].start)) }
        let summary = "Over the last \(span): " + series.map { "\($0.total) \($0.label)" }.joined(separator: ", ") + " token requests"
        return LineChart(id: id, title: title, summary: summary, series: series, gridLines: grid, axisLabels: labels)
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at or above `value` (at least 2, so halves are whole).
    static func niceCeiling(_ value: Int) -> Int {
        var step = 1
        while true {
            for factor in [2, 5, 10] where step * factor >= value { return max(step * factor, 2) }
            guard step < Int.max / 100 else { return value }
            step *= 10
        }
    }

    /// `HH:MM` in UTC.
    static func clock(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down).clamped(to: 0...1e12)) % 86_400
        return String(format: "%02d:%02d", seconds / 3600, seconds % 3600 / 60)
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
