public import FoundationEssentials

extension AlertEvent {
    /// The Cancel that closes this alert, inherited from the previous run, after the agent restarted: the new
    /// run's tracker starts afresh and raises a new alert if the condition still holds. Headlines in every
    /// language say why it closed; the top-level headline keeps the language it was written in (English when
    /// it matches none of `texts`).
    /// - Parameters:
    ///   - eventId: the Cancel's unique id, e.g. `"<alertId>.closed-<boot millis>"`.
    ///   - now: the Cancel's `sent` time.
    public func closedOnRestart(eventId: String, now: Date) -> AlertEvent {
        var event = self
        event.eventId = eventId
        event.references = references + [self.eventId]
        event.msgType = .cancel
        event.urgency = .past
        event.sent = now
        guard let check = CheckKind(parameters.checkId) else {
            event.headline =
                "\(parameters.checkId.rawValue) closed: the agent restarted and assesses the condition anew"
            return event
        }
        let entry = AlertTextEntry.closedOnRestart(check: check)
        let primary = texts?.first { $0.headline == headline }.flatMap { Language(tag: $0.language) } ?? .en
        event.headline = entry.text(in: primary)
        event.instruction = CheckText.noActionNeeded.text(in: primary)
        event.texts = texts?.map { block in
            guard let language = Language(tag: block.language) else { return block }
            var closed = block
            closed.headline = entry.text(in: language)
            closed.instruction = CheckText.noActionNeeded.text(in: language)
            return closed
        }
        return event
    }
}
