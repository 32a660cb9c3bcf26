import ArgumentParser
import FoundationEssentials
import ShelterCore
import ShelterRuntime

/// `shelter-agent check-config FILE…`: validates site files and prints every problem.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate site files and the profiles they name; print every problem.",
        discussion: """
            Prints one line per problem (file, key path, value, what is wrong, how to fix it) and exits 65 \
            (EX_DATAERR) if there is any; otherwise prints a one-line summary per file and exits 0.
            """)

    @Argument(help: "Site files (Firmware-Config/sites/<site>.toml).")
    var files: [String]

    @Option(name: .customLong("profiles"), help: "Profile directory. Default: ../profiles next to each site file.")
    var profileDirectory: String?

    @Flag(
        help: """
            Do not check the TLS files named in [gateway] (that they exist, the key's mode, that the client \
            certificate's CN is gateway.id) nor each serial bus's device (that it exists and this user can open \
            it), for checking a site file away from its gateway.
            """)
    var skipFileChecks = false

    @OptionGroup var language: LanguageOptions

    func run() async throws {
        let loader = SiteConfigurationLoader(
            profileDirectory: profileDirectory, checksFiles: !skipFileChecks, checksCertificateName: !skipFileChecks,
            checksSerialDevices: !skipFileChecks)
        let reader = language.resolved(environment: ProcessInfo.processInfo.environment)
        var problems = 0
        for file in files {
            switch loader.load(siteFile: file) {
            case .success(let site):
                let points = site.devices.reduce(0) { $0 + $1.points.count }
                print(
                    ScreenText.configurationValid(
                        file: file, buses: site.buses.count, devices: site.devices.count, points: points,
                        bindings: site.bindings.count, shelter: site.record.id, capacity: site.record.capacity
                    ).text(in: reader))
            case .failure(let error):
                problems += error.issues.count
                for issue in error.issues { print(issue.text(in: reader)) }
            }
        }
        if problems > 0 {
            print(ScreenText.problemsFound(count: problems).text(in: reader))
            throw ExitCode(ExitStatus.dataError.rawValue)
        }
    }
}
