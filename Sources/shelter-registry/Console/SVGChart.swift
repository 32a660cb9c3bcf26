import Foundation
import ShelterCore

/// A line chart drawn on the server as SVG (issue 15 item 4; STYLE §10: charts are SVG written on the server),
/// so the shelter page shows history without JavaScript.
///
/// Shape: one `<svg>` of `width` × `height` user units with `role="img"` and an `aria-label` (the title), a
/// `<title>`, the plot frame, y-axis labels at the bottom and top of the range, x-axis labels at the period's
/// start and end, one `<line class="reference">` per reference value (registered capacity, a threshold), and
/// one `<polyline class="series">` per run of known values: an unknown value (`nil`) ends a run, so a gap
/// in the data is a gap in the line, never a drop to 0 (an error is never a number). With no known value at
/// all the chart says so in a `<text class="empty">`.
struct SVGChart: Sendable {
    /// One sample: when, and the value (`nil`: unknown).
    struct Point: Sendable, Equatable {
        var at: Date
        var value: Double?
    }

    /// A horizontal line at `value` with its label.
    struct Reference: Sendable, Equatable {
        var value: Double
        var label: String
    }

    var title: String
    var points: [Point]
    var references: [Reference] = []
    /// The period shown (x axis).
    var period: ClosedRange<Date>
    /// Labels of the period's ends, already formatted for the reader.
    var startLabel: String
    var endLabel: String
    /// Text shown when no value is known.
    var emptyText: String
    var width = 640.0
    var height = 200.0

    private static let margin = (left: 56.0, right: 12.0, top: 12.0, bottom: 28.0)

    /// Runs of consecutive known values, in time order.
    var runs: [[Point]] {
        var runs: [[Point]] = []
        var current: [Point] = []
        for point in points.sorted(by: { $0.at < $1.at }) {
            if point.value?.isFinite == true {
                current.append(point)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The y range: from 0 (or the lowest value, if negative) to the highest value or reference, with 10 %
    /// headroom; `0...1` when there is nothing.
    var valueRange: ClosedRange<Double> {
        let values = runs.flatMap { $0.compactMap(\.value) } + references.map(\.value)
        guard let high = values.max(), let low = values.min() else { return 0...1 }
        let bottom = min(0, low)
        let top = high <= bottom ? bottom + 1 : high + (high - bottom) * 0.1
        return bottom...top
    }

    /// The SVG document fragment (an `<svg>` element), UTF-8 text.
    func svg() -> String {
        let m = Self.margin
        let plotWidth = width - m.left - m.right
        let plotHeight = height - m.top - m.bottom
        let range = valueRange
        let span = max(period.upperBound.timeIntervalSince(period.lowerBound), 1)
        func x(_ date: Date) -> Double {
            m.left + plotWidth * min(1, max(0, date.timeIntervalSince(period.lowerBound) / span))
        }
        func y(_ value: Double) -> Double {
            m.top + plotHeight * (1 - (value - range.lowerBound) / (range.upperBound - range.lowerBound))
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Self.number(width)) "
        out += "\(Self.number(height))\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        out += "<title>\(Self.escape(title))</title>"
        out += "<rect class=\"frame\" x=\"\(Self.number(m.left))\" y=\"\(Self.number(m.top))\" "
        out += "width=\"\(Self.number(plotWidth))\" height=\"\(Self.number(plotHeight))\"/>"
        for (value, anchor) in [(range.lowerBound, y(range.lowerBound)), (range.upperBound, y(range.upperBound))] {
            out += "<text class=\"axis\" x=\"\(Self.number(m.left - 6))\" y=\"\(Self.number(anchor + 4))\" "
            out += "text-anchor=\"end\">\(Self.escape(Self.label(value)))</text>"
        }
        out += "<text class=\"axis\" x=\"\(Self.number(m.left))\" y=\"\(Self.number(height - 8))\">"
        out += "\(Self.escape(startLabel))</text>"
        out += "<text class=\"axis\" x=\"\(Self.number(width - m.right))\" y=\"\(Self.number(height - 8))\" "
        out += "text-anchor=\"end\">\(Self.escape(endLabel))</text>"
        for reference in references {
            let ry = Self.number(y(reference.value))
            out += "<line class=\"reference\" x1=\"\(Self.number(m.left))\" x2=\"\(Self.number(width - m.right))\" "
            out += "y1=\"\(ry)\" y2=\"\(ry)\"/>"
            out += "<text class=\"reference-label\" x=\"\(Self.number(width - m.right - 4))\" "
            out += "y=\"\(Self.number(y(reference.value) - 4))\" text-anchor=\"end\">"
            out += "\(Self.escape(reference.label))</text>"
        }
        let runs = runs
        if runs.isEmpty {
            out += "<text class=\"empty\" x=\"\(Self.number(m.left + plotWidth / 2))\" "
            out +=
                "y=\"\(Self.number(m.top + plotHeight / 2))\" text-anchor=\"middle\">\(Self.escape(emptyText))</text>"
        }
        for run in runs {
            let coordinates = run.map { "\(Self.number(x($0.at))),\(Self.number(y($0.value ?? 0)))" }
            // A single sample is drawn as a point (a zero-length line with round caps).
            let list = coordinates.count == 1 ? [coordinates[0], coordinates[0]] : coordinates
            out += "<polyline class=\"series\" points=\"\(list.joined(separator: " "))\"/>"
        }
        out += "</svg>"
        return out
    }

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// An axis label: whole numbers without decimals, others with one.
    static func label(_ value: Double) -> String {
        abs(value) >= 10 || value == value.rounded() ? String(Int(value.rounded())) : number(value)
    }

    static func escape(_ text: String) -> String { text.xmlEscaped }
}
