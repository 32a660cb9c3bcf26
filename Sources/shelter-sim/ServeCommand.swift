import ArgumentParser
import DeviceSimulator
import FoundationEssentials
import ShelterCore
import ShelterRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// `shelter-sim serve`: serves a site's devices (or one profile) until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve simulated devices: every device of a site on its bus, or one profile over TCP.",
        discussion: """
            Prints one JSON line per bus saying where it listens, then {"control":PATH} if a control socket \
            was asked for, then {"ready":true}. TCP buses listen on 127.0.0.1 on a free port; serial buses get \
            a pty paced at the bus's baud rate (open "path" as the serial port).

            A serial bus behaves like the line it simulates: a request sent at other line settings than the \
            bus's (baud, parity, stop bits, as the client set them on the pty) reaches no device and gets no \
            answer, and every device keeps the 3.5-character silence (t3.5) before it answers. `status` counts \
            the requests no device heard and shows the settings they came at.

            Healthy values for the reference site: --values Firmware-Config/values/reference.toml.

            The control socket (--control PATH) is a Unix stream socket: write one command a line, read one \
            reply a line (ok, ok VALUE, a JSON object, or error: …). DEVICE and BUS are names from the site \
            file. From a shell (socat is installed by Scripts/bootstrap):
              echo 'fault genset timeout on' | socat - UNIX-CONNECT:PATH     one command
              socat READLINE UNIX-CONNECT:PATH     type commands, Ctrl-D ends

            Commands:
              set DEVICE POINT VALUE         point holds VALUE (number, true, false)
              get DEVICE POINT               the point's current value
              fault DEVICE timeout on|off    no answer
              fault DEVICE busy on|off|N     exception 6, always or to the next N requests
              fault DEVICE exception TABLE FIRST[-LAST] CODE
                                             exception CODE on those addresses
              fault DEVICE exception off     no more exception replies
              fault DEVICE late MS|off       replies MS ms late
              fault DEVICE slow MS|off       every reply takes MS ms
              fault DEVICE junk on|off       junk replies (bad CRC, foreign transaction id)
              fault DEVICE drop              close the connection at the next request
              fault DEVICE clear             no fault
              down DEVICE | up DEVICE        switch the device off / on
              restart BUS                    stop and serve again on the same port
              status                         buses, devices, request counts, faults (JSON)
            """
    )

    @Option(name: .long, help: "A site file: serve every device of every bus.")
    var site: String?

    @Option(name: .long, help: "A device profile file: serve one device (with --unit and --tcp).")
    var profile: String?

    @Option(name: .long, help: "Unit id of the --profile device (0...255).")
    var unit: UInt8 = 1

    @Option(name: .long, help: "HOST:PORT to serve the --profile device on; port 0 picks a free port.")
    var tcp: String = "127.0.0.1:0"

    @Option(name: .long, help: "Device name of the --profile device (for value scripts and control).")
    var name: String = "device"

    @Option(name: .long, help: "Directory of profiles for --site (default: ../profiles next to the site file).")
    var profiles: String?

    @Option(name: .long, help: "A value-script file (TOML): scripts and initial faults per device and point.")
    var values: String?

    @Option(name: .long, help: "Path of a Unix socket for control commands.")
    var control: String?

    func validate() throws {
        guard (site == nil) != (profile == nil) else {
            throw ValidationError("give exactly one of --site or --profile")
        }
    }

    func run() throws {
        // Block the stop signals before any thread starts, so every thread inherits the mask and the main
        // thread receives them in sigwait.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let script = try loadScript()
        let simulator: SiteSimulator
        let loader = SiteConfigurationLoader(profileDirectory: profiles, checksFiles: false)
        if let site {
            switch loader.load(siteFile: site) {
            case .success(let configuration):
                simulator = try SiteSimulator(configuration: configuration, script: script)
            case .failure(let error): throw Failure("\(site): \(error)")
            }
        } else if let profile {
            let parts = tcp.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port) else {
                throw ValidationError("--tcp must be HOST:PORT, e.g. 127.0.0.1:0")
            }
            switch loader.load(profileFile: profile) {
            case .success(let deviceProfile):
                simulator = try SiteSimulator(
                    profile: deviceProfile, unitID: unit, name: name, host: String(parts[0]), port: port, script: script
                )
            case .failure(let error): throw Failure("\(profile): \(error)")
            }
        } else {
            throw ValidationError("give --site or --profile")
        }
        defer { simulator.stop() }
        for line in simulator.endpointLines() { print(line) }
        var channel: ControlChannel?
        if let control {
            channel = try ControlChannel(path: control, simulator: simulator)
            print("{\"control\":\(SiteSimulator.quotedJSON(control))}")
        }
        defer { channel?.stop() }
        print("{\"ready\":true}")
        fflush(nil)  // every stream: the lines above must reach a pipe before we block
        var received: Int32 = 0
        sigwait(&signals, &received)
    }

    private func loadScript() throws -> ValueScriptFile {
        guard let values else { return ValueScriptFile() }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: values))
        } catch {
            throw Failure("cannot read \(values): \(error)")
        }
        return try ValueScriptFile(toml: String(decoding: data, as: UTF8.self))
    }
}

/// A failure to report on stderr with exit code 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
