import FoundationEssentials
import Platform

extension ScenarioSession {
    /// Fetches every alert event the run produced from the registry as a CAP 1.2 document (into
    /// `<work>/cap/`) and checks them all with `Scripts/validate-cap` (the OASIS CAP 1.2 XSD through xmllint,
    /// then the rules the XSD cannot say: references on Update and Cancel, a Cancel naming its Alert, a
    /// sender without spaces or commas), after checking that each event carries a zh-CN and an en-US text
    /// (issue 16). Part of the scenario's verdict (issue 14 item 4).
    func validateCAP() async -> ExpectationOutcome {
        let outcome = await capOutcome()
        capPassed = outcome.isPassed
        note("\(outcome.isPassed ? "PASS" : "FAIL") \(ScenarioRunResult.capCheckName): \(outcome.detail)")
        return outcome
    }

    private func capOutcome() async -> ExpectationOutcome {
        let script = FileSystem.directory(of: options.pkiScript) + "/validate-cap"
        guard FileSystem.isExecutable(script) else {
            return .failed("no CAP validator at \(script) (it sits next to Scripts/pki)")
        }
        let directory = "\(workDirectory)/cap"
        var count = 0
        do throws(ScenarioError) {
            let registry = try registryAdmin()
            let site = try siteSummary()
            try FileSystem.makeDirectory(directory)
            for event in try await registry.alerts(shelterID: site.shelterID).arrayValue ?? [] {
                guard let eventID = event["eventId"]?.stringValue, let sender = event["gatewayId"]?.stringValue else {
                    return .failed("an alert event without eventId or gatewayId: \(event)")
                }
                // Every alert reaches the bureau in both languages (issue 16): zh-CN and en-US texts.
                let languages = Set((event["texts"]?.arrayValue ?? []).compactMap { $0["language"]?.stringValue })
                guard languages.isSuperset(of: ["zh-CN", "en-US"]) else {
                    return .failed("alert event \(eventID) lacks a zh-CN or en-US text (has \(languages.sorted()))")
                }
                let document = try await registry.capDocument(eventID: eventID, sender: sender)
                count += 1
                let name = String(repeating: "0", count: max(0, 6 - String(count).count)) + "\(count).xml"
                try FileSystem.write(String(decoding: document, as: UTF8.self), to: "\(directory)/\(name)")
            }
            guard count > 0 else { return .passed("no alert events to check") }
            let child = try ChildProcess.start(
                name: "validate-cap", executable: script, arguments: [directory],
                logPath: "\(workDirectory)/logs/validate-cap.log")
            try await waitUntil("the CAP validator", timeout: .seconds(120)) { !child.isRunning }
            let tail = Self.tail(of: child.logPath, lines: 20)
            return child.exitCode == 0
                ? .passed("\(count) CAP documents valid, each alert in zh-CN and en-US")
                : .failed("\(count) CAP documents, validate-cap failed:\n\(tail)")
        } catch {
            return .failed("cannot check CAP documents: \(error)")
        }
    }
}
