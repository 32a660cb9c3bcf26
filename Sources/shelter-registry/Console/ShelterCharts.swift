import Foundation
import ShelterCore

/// The shelter page's history charts (issue 15 item 4) from the reports of a period (from its first report): occupancy against
/// registered capacity, days of drinking water (C-05 at present occupancy), generator fuel hours (C-13, the
/// lowest of the generators) and battery minutes (C-16, the lowest). A report whose value is unknown leaves a
/// gap in the line.
struct ShelterCharts {
    var reports: [StatusReport]
    var capacity: Int?
    var period: ClosedRange<Date>
    var language: Language

    /// The time axis: the chosen period, started at its first report when that is later (a shelter that has
    /// reported for ten minutes gets ten minutes of chart, not a line squeezed against the right edge of 24 h),
    /// and never shorter than a minute.
    var axis: ClosedRange<Date> {
        guard let first = reports.map(\.observedAt).min(), first > period.lowerBound else { return period }
        let start = min(first, period.upperBound.addingTimeInterval(-60))
        return max(start, period.lowerBound)...period.upperBound
    }

    var all: [SVGChart] {
        let capacityLine = (capacity ?? reports.last?.capacity.registered).map {
            SVGChart.Reference(
                value: Double($0),
                label: ConsoleText.label(.capacity).text(in: language) + " " + TextArgument.persons($0).render(language)
            )
        }
        return [
            chart(
                .chartOccupancy,
                reports.map { SVGChart.Point(at: $0.observedAt, value: $0.capacity.occupied.map(Double.init)) },
                references: capacityLine.map { [$0] } ?? []),
            chart(.chartWater, series(.waterDays) { $0.subject.isEmpty }),
            chart(.chartFuel, series(.fuelAutonomy) { _ in true }),
            chart(.chartBattery, series(.batteryAutonomy) { _ in true }),
        ]
    }

    /// One point per report: the lowest known value of `kind` among the results `include` accepts, or unknown.
    func series(_ kind: CheckKind, include: (CheckResult) -> Bool) -> [SVGChart.Point] {
        reports.map { report in
            let values = report.checks.filter { $0.checkId == kind.id && include($0) }.compactMap { $0.value?.value }
            return SVGChart.Point(at: report.observedAt, value: values.min())
        }
    }

    private func chart(
        _ title: ConsoleText.Label, _ points: [SVGChart.Point], references: [SVGChart.Reference] = []
    ) -> SVGChart {
        SVGChart(
            title: ConsoleText.label(title).text(in: language), points: points, references: references,
            period: axis, startLabel: ConsoleService.local(axis.lowerBound).dropFirst(5).description,
            endLabel: ConsoleService.local(axis.upperBound).dropFirst(5).description,
            emptyText: ConsoleText.label(.noData).text(in: language))
    }
}
