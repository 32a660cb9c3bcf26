import ArgumentParser
import FoundationEssentials
import ShelterCore
import ShelterRuntime

/// `shelter-agent show-record FILE`: the registered record of a site file, as the registry protocol's JSON.
struct ShowRecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-record",
        abstract: "Print the site file's registered record (the filing, art. 14) as registry JSON.",
        discussion: """
            The same JSON the registry serves at GET /v1/shelters/{id}/record: use it to file the record, or to \
            compare the site file's copy with the registry's. Validates the site file first (exit 65 on problems).
            """)

    @Argument(help: "Site file.")
    var file: String

    @Option(name: .customLong("profiles"), help: "Profile directory. Default: ../profiles next to the site file.")
    var profileDirectory: String?

    @OptionGroup var language: LanguageOptions

    func run() async throws {
        let reader = language.resolved(environment: ProcessInfo.processInfo.environment)
        let loader = SiteConfigurationLoader(profileDirectory: profileDirectory, checksFiles: false)
        switch loader.load(siteFile: file) {
        case .success(let site):
            let encoder = RegistryJSON.makeEncoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            print(String(decoding: try encoder.encode(site.record), as: UTF8.self))
        case .failure(let error):
            for issue in error.issues { print(issue.text(in: reader)) }
            throw ExitCode(ExitStatus.dataError.rawValue)
        }
    }
}
