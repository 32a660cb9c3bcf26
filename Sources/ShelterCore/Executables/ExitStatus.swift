/// The exit statuses of `shelter-agent`, `shelter-sim` and `shelter-registry`, named in one place.
///
/// The numbers are the BSD `sysexits.h` codes (`EX_USAGE` 64 … `EX_PROTOCOL` 76), which systemd, cron and
/// shell scripts already know, plus 1 for a plain "no" and 130 for an interrupted run (128 + SIGINT).
/// Each executable throws `ExitCode(status.rawValue)`; swift-argument-parser itself ends a command line it
/// cannot parse (or that fails `validate()`) with ``usage``.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done as asked.
    case ok = 0
    /// A definite "no": a Modbus exception reply to `read`, a failed scenario.
    case failure = 1
    /// `EX_USAGE`: bad flags or arguments (swift-argument-parser's `ValidationError`).
    case usage = 64
    /// `EX_DATAERR`: the input file is wrong (a site file, a scenario) — `check-config` found issues.
    case dataError = 65
    /// `EX_NOINPUT`: an input file is missing or unreadable (a scenario, the registry's certificates).
    case noInput = 66
    /// `EX_UNAVAILABLE`: no connection, a lost link or no answer from the device.
    case unavailable = 69
    /// `EX_SOFTWARE`: something the program did not expect (a bug).
    case software = 70
    /// `EX_TEMPFAIL`: try again later — another agent holds the state directory's lock.
    case temporaryFailure = 75
    /// `EX_PROTOCOL`: a reply that is not the answer (garbled, short).
    case protocolError = 76
    /// Interrupted by SIGINT (128 + 2), as a shell reports it.
    case interrupted = 130
}
