@testable import ShelterCore

/// Every catalog key with sample arguments, named for the golden files. `coverage` proves the list complete:
/// each entry type has an exhaustive switch giving each case a number, and the samples must hit them all.
enum CatalogSamples {
    struct Sample: Sendable {
        var name: String
        var entry: any CatalogEntry
    }

    static let reason = NoSampleReason(.timeout, detail: "no reply in 1 s")
    static let generator = "gen1"

    static var all: [Sample] {
        var samples: [Sample] = []
        func add(_ name: String, _ entry: some CatalogEntry) { samples.append(Sample(name: name, entry: entry)) }

        for state in LifecycleState.allCases { add("status.lifecycle.\(state.rawValue)", StatusText.lifecycle(state)) }
        for (drill, unconfirmed) in [(false, false), (true, false), (false, true), (true, true)] {
            add(
                "status.lifecycleStatus.activated.drill=\(drill).unconfirmed=\(unconfirmed)",
                StatusText.lifecycleStatus(
                    LifecycleStatus(state: .activated, isDrill: drill, isUnconfirmed: unconfirmed)))
        }
        for status in CheckStatus.allCases { add("status.check.\(status.rawValue)", StatusText.checkStatus(status)) }
        for level in ResourceLevel.allCases {
            add("status.resourceLevel.\(level.rawValue)", StatusText.resourceLevel(level))
        }
        for resource in StatusText.Resource.allCases {
            add("status.resource.\(resource.rawValue)", StatusText.resource(resource))
        }
        for link in LinkState.allCases { add("status.link.\(link.rawValue)", StatusText.link(link)) }
        for kind in NoSampleReason.Kind.allCases { add("status.noSample.\(kind.rawValue)", StatusText.noSample(kind)) }
        add("status.noSampleReason.detail", StatusText.noSampleReason(reason))
        add("status.noSampleReason.bare", StatusText.noSampleReason(NoSampleReason(.stale)))
        for origin in ThresholdOrigin.allCases {
            add("status.thresholdOrigin.\(origin.rawValue)", StatusText.thresholdOrigin(origin))
        }

        for check in CheckKind.allCases {
            add("check.\(check.rawValue).event", CheckText.event(check))
            add("check.\(check.rawValue).title", CheckText.title(check))
            add("check.\(check.rawValue).instruction", CheckText.instruction(check))
            add("check.\(check.rawValue).source", CheckText.source(check))
        }
        add("check.noActionNeeded", CheckText.noActionNeeded)

        add("title.plain", CheckTitle.plain(.occupancy))
        add("title.withSubject", CheckTitle.withSubject(.sewageLevel, "tank-b"))
        add("title.waterForPresent", CheckTitle.waterForPresent)
        add("title.waterIfFull", CheckTitle.waterIfFull(capacity: 2000))
        add("title.healthySources.power", CheckTitle.healthySources(.power))
        add("title.healthySources.water", CheckTitle.healthySources(.water))
        add("title.noGeneratorOnLoadYet", CheckTitle.noGeneratorOnLoadYet)
        add("title.generatorTransferTime", CheckTitle.generatorTransferTime)
        add("title.fuel", CheckTitle.fuel(generator: generator))
        add("title.device", CheckTitle.device("io-hall"))
        add("title.deviceLink", CheckTitle.deviceLink("io-hall", .down))
        add("title.deviceNeverRead", CheckTitle.deviceNeverRead("io-hall", point: "door_in"))
        add("title.busUnreachable", CheckTitle.busUnreachable("rs485-1", endpoint: "/dev/ttyUSB9"))
        add("title.bus", CheckTitle.bus("rs485-1"))

        add("input.occupancy", CheckInput.occupancy)
        add("input.registeredCapacity", CheckInput.registeredCapacity)
        add("input.fillingRate", CheckInput.fillingRate)
        add("input.usableWater", CheckInput.usableWater)
        add("input.waterRation", CheckInput.waterRation)
        add("input.requiredReserve", CheckInput.requiredReserve)
        add("input.sewageLevel", CheckInput.sewageLevel)
        add("input.mainsState", CheckInput.mainsState)
        add("input.generatorOnLoad", CheckInput.generatorOnLoad)
        add("input.fuel", CheckInput.fuel(generator: generator))
        add("input.burnRate", CheckInput.burnRate(generator: generator))
        add("input.batteryCharge", CheckInput.batteryCharge(battery: "b1"))
        add("input.siteLoad", CheckInput.siteLoad)
        add("input.facilityBindings", CheckInput.facilityBindings)
        add("input.computedValue", CheckInput.computedValue)
        add("input.source", CheckInput.source(.generator(generator)))

        add("source.mains", SupplySource.mains)
        add("source.generator", SupplySource.generator(generator))
        add("source.waterTank", SupplySource.waterTank("t1"))
        add("source.municipalWater", SupplySource.municipalWater)

        for kind in FacilityRef.Kind.allCases {
            add("difference.noLiveSource.\(kind.rawValue)", RecordDifference.noLiveSource(FacilityRef(kind, "x1")))
            add("difference.notInRecord.\(kind.rawValue)", RecordDifference.notInRecord(FacilityRef(kind, "x1")))
            add("facility.\(kind.rawValue)", FacilityName(FacilityRef(kind, "x1")))
        }
        add("recordChange.capacity", RecordChange.capacity(inUse: 1500, siteFile: 2000))
        add("recordChange.effectiveArea", RecordChange.effectiveArea(inUse: 3000, siteFile: 3600))
        add("recordChange.facilityDropped", RecordChange.facilityDropped(FacilityRef(.waterTank, "tank1")))
        add("recordChange.facilityAdded", RecordChange.facilityAdded(FacilityRef(.sewageTank, "sewage")))
        add(
            "difference.beyondRating.generatorPower",
            RecordDifference.beyondRating(
                .generatorPower(generator), reading: .quantity(112.4, .kilowatts, places: 1),
                rating: .quantity(100, .kilowatts, places: 1)))
        add(
            "difference.beyondRating.generatorFuel",
            RecordDifference.beyondRating(
                .generatorFuel(generator), reading: .quantity(1080, .litres, places: 1),
                rating: .quantity(1000, .litres, places: 1)))
        add(
            "difference.beyondRating.waterTankVolume",
            RecordDifference.beyondRating(
                .waterTankVolume("t1"), reading: .quantity(106_000, .litres, places: 1),
                rating: .quantity(98_000, .litres, places: 1)))

        for (name, finding) in findings { add("finding.\(name)", finding) }

        add(
            "alert.headline.C-01.warning",
            AlertTextEntry.headline(
                check: .occupancy, level: .warning, title: .plain(.occupancy), value: .percent(0.94),
                threshold: .percent(0.9)))
        add(
            "alert.headline.C-12.critical.noGenerator",
            AlertTextEntry.headline(
                check: .generatorTransfer, level: .critical, title: .noGeneratorOnLoadYet,
                value: .timeSpan(seconds: 35), threshold: .timeSpan(seconds: 30)))
        add(
            "alert.headline.C-05.ifFull.valueOnly",
            AlertTextEntry.headline(
                check: .waterDays, level: .warning, title: .waterIfFull(capacity: 2000), value: .days(0.11),
                threshold: nil))
        add(
            "alert.headline.C-22.thresholdOnly",
            AlertTextEntry.headline(
                check: .dataFreshness, level: .critical, title: .device("io-hall"), value: nil,
                threshold: .quantity(10, .pollIntervals, places: 1)))
        add(
            "alert.headline.C-23.bare",
            AlertTextEntry.headline(
                check: .recordDrift, level: .warning, title: .plain(.recordDrift), value: nil,
                threshold: nil))
        add("alert.resolvedHeadline", AlertTextEntry.resolvedHeadline(check: .occupancy, title: .plain(.occupancy)))
        add(
            "alert.description.withOrigin",
            AlertTextEntry.description(
                finding: .occupancy(present: 1880, capacity: 2000, ratio: 0.94), check: .occupancy, origin: .record))
        add(
            "alert.description.noOrigin",
            AlertTextEntry.description(finding: .mainsPresent, check: .generatorTransfer, origin: nil))

        add(
            "screen.statusHeader",
            ScreenText.statusHeader(shelter: "SMX-0007", gateway: "gw-ref-01", version: "0.1.0", pid: 4242))
        for label in ScreenText.Label.allCases { add("screen.label.\(label.rawValue)", ScreenText.label(label)) }
        add("screen.agentGone", ScreenText.agentGone(pid: 4242, captured: "2026-12-04 18:02:11 UTC"))
        add(
            "screen.captured",
            ScreenText.captured(at: "2026-12-04 18:02:11 UTC", seconds: 12, interval: 30))
        add(
            "screen.agentStale",
            ScreenText.agentStale(seconds: 602, captured: "2026-12-04 18:02:11 UTC", interval: 30))
        add("screen.registryWasReachable", ScreenText.registryWasReachable)
        add("screen.lastRegistryAnswer", ScreenText.lastRegistryAnswer(seconds: 14))
        add(
            "screen.busCannotOpen",
            ScreenText.busCannotOpen(
                bus: "rs485", endpoint: "/dev/ttyUSB9", seconds: 95,
                error: "open /dev/ttyUSB9: No such file or directory, errno 2",
                devices: ["ups", "water"]))
        add("screen.registryReachable", ScreenText.registryReachable)
        add("screen.registryError", ScreenText.registryError(detail: "the registry answered 500"))
        add("screen.registryError.bare", ScreenText.registryError(detail: nil))
        add("screen.registryUnreachable", ScreenText.registryUnreachable(detail: "connect refused"))
        add("screen.registryUnreachable.bare", ScreenText.registryUnreachable(detail: nil))
        add("screen.registryNotContacted", ScreenText.registryNotContacted)
        for source in ["registry", "cache", "site-file", "elsewhere"] {
            add("screen.recordVersion.\(source)", ScreenText.recordVersion(version: 4, source: source))
        }
        add("screen.pendingWord", ScreenText.pendingWord)
        add("screen.pendingHold", ScreenText.pendingHold(status: .warning, seconds: 25, holdSeconds: 60))
        add("screen.pendingTransfer", ScreenText.pendingTransfer(warnAtSeconds: 15))
        add("screen.recordSameAsSiteFile", ScreenText.recordSameAsSiteFile)
        add(
            "screen.recordDiffers",
            ScreenText.recordDiffers([
                .entry(AnyCatalogEntry(RecordChange.capacity(inUse: 1500, siteFile: 2000))),
                .entry(AnyCatalogEntry(RecordChange.facilityDropped(FacilityRef(.generator, "gen1")))),
            ]))
        add("screen.clockSkew", ScreenText.clockSkew(seconds: -2.5))
        add("screen.outboxWaiting", ScreenText.outboxWaiting(count: 3))
        add("screen.outboxOldest", ScreenText.outboxOldest(seconds: 75))
        add("screen.deadLetters", ScreenText.deadLetters(count: 1))
        add("screen.outboxHeld", ScreenText.outboxHeld(detail: "the registry refuses this gateway's certificate"))
        add("screen.lastAnswer", ScreenText.lastAnswer(seconds: 125))
        add("screen.neverAnswered", ScreenText.neverAnswered)
        add("screen.roundTrip", ScreenText.roundTrip(milliseconds: 12.34))
        add("screen.answered", ScreenText.answered(successes: 7, requests: 10))
        add("screen.failures", ScreenText.failures(.timeout, count: 3))
        add(
            "screen.failed",
            ScreenText.failed([
                .entry(AnyCatalogEntry(ScreenText.failures(.timeout, count: 3))),
                .entry(AnyCatalogEntry(ScreenText.failures(.badData, count: 1))),
            ]))
        add("screen.busUnit", ScreenText.busUnit(bus: "rs485", unitID: 1))
        add("screen.noActiveAlerts", ScreenText.noActiveAlerts)
        add(
            "screen.activeAlert",
            ScreenText.activeAlert(
                headline: "C-01 warning: occupancy 92 %", raisedAt: "2026-12-04 17:00:11 UTC", seconds: 3720,
                onset: "2026-12-04 16:59:41 UTC"))
        add(
            "screen.activeAlert.noOnset",
            ScreenText.activeAlert(
                headline: "C-01 warning: occupancy 92 %", raisedAt: "2026-12-04 17:00:11 UTC", seconds: 3720, onset: nil
            ))
        add("screen.noSample", ScreenText.noSample(reason: "stale"))
        add("screen.readAgo", ScreenText.readAgo(seconds: 90_061))
        for severity in CAPSeverity.allCases {
            add("screen.severity.\(severity.rawValue)", ScreenText.severity(severity))
        }
        add(
            "screen.configurationValid",
            ScreenText.configurationValid(
                file: "sites/reference.toml", buses: 2, devices: 8, points: 40, bindings: 30, shelter: "SMX-0007",
                capacity: 2000))
        add("screen.problemsFound.one", ScreenText.problemsFound(count: 1))
        add("screen.problemsFound.many", ScreenText.problemsFound(count: 10))
        add("screen.scanPresent", ScreenText.scanPresent(unitID: 5, milliseconds: "3.21", detail: "holding 0 = 42"))
        add("screen.scanException", ScreenText.scanException(detail: "0x02 illegal data address"))
        add("screen.scanGarbled", ScreenText.scanGarbled(detail: "CRC mismatch"))
        add("screen.scanSummary", ScreenText.scanSummary(answered: 2, probed: 247, list: "1, 5"))
        add("screen.scanSummary.none", ScreenText.scanSummary(answered: 0, probed: 247, list: ""))
        add("screen.noAnswerHint.serial", ScreenText.noAnswerHint(serial: true))
        add(
            "screen.reloadRefused",
            ScreenText.reloadRefused(
                seconds: 95, file: "/etc/shelter-agent/sites/site.toml", count: 2,
                first:
                    "site.toml: gateway.heartbeat_interval_seconds: 0 is out of range: use a value between 5 and 3600"))
        add(
            "screen.reloadRefused.one",
            ScreenText.reloadRefused(
                seconds: 4, file: "site.toml", count: 1, first: "site.toml: bogus_key: unknown key"))
        add("screen.noAnswerHint.tcp", ScreenText.noAnswerHint(serial: false))
        add("screen.readAt", ScreenText.readAt(unitID: 1, function: .holdingRegister, address: 100))
        add("screen.planBus", ScreenText.planBus(bus: "rs485", requests: 3, quantity: 40))
        add(
            "screen.planRequest",
            ScreenText.planRequest(
                device: "meter", unitID: 1, functionCode: 4, function: .inputRegister, start: 0, count: 12,
                points: "voltage, power"))
        add("screen.planWireTime", ScreenText.planWireTime(planned: "61.5", requests: 3))
        add(
            "screen.planWireTimeAlternatives",
            ScreenText.planWireTimeAlternatives(perPoint: "250.2", points: 12, perRegister: "480.7", registers: 24))
        add(
            "screen.planUtilisation",
            ScreenText.planUtilisation(fraction: 0.099, cycle: "495.0", interval: 5, fastest: 5, devices: 11))
        add(
            "screen.planUtilisationNotEstimated",
            ScreenText.planUtilisationNotEstimated(interval: 1, fastest: 1, devices: 1))
        add("screen.planOverloaded", ScreenText.planOverloaded)

        add("config.requiredKeyMissing", ConfigIssueText.requiredKeyMissing)
        add("config.mustNotBeEmpty", ConfigIssueText.mustNotBeEmpty)
        add("config.outOfRange", ConfigIssueText.outOfRange(detail: nil))
        add("config.outOfRange.detail", ConfigIssueText.outOfRange(detail: "on Modbus TCP unit ids are 0...247 or 255"))
        add("config.notFinite", ConfigIssueText.notFinite)
        add("config.unknownKey", ConfigIssueText.unknownKey)
        add("config.mustBeAbsolutePath", ConfigIssueText.mustBeAbsolutePath)
        add("config.unsupportedLanguage", ConfigIssueText.unsupportedLanguage)
        add("config.noSuchProfile", ConfigIssueText.noSuchProfile)
        add("config.noSuchBus", ConfigIssueText.noSuchBus)
        add(
            "config.noSuchProfileFile",
            ConfigIssueText.noSuchProfileFile(file: "/srv/site/profiles/deepsea-dse7320.toml", directoryExists: true))
        add(
            "config.noSuchProfileFile.noDirectory",
            ConfigIssueText.noSuchProfileFile(file: "/srv/profiles/deepsea-dse7320.toml", directoryExists: false))
        add(
            "config.profilesLookedUpIn",
            ConfigIssueText.profilesLookedUpIn(directory: "/srv/site/profiles", isGiven: false))
        add("config.profilesLookedUpIn.given", ConfigIssueText.profilesLookedUpIn(directory: "/opt/p", isGiven: true))
        add("config.unknownParity", ConfigIssueText.unknownParity)
        add("config.unknownBusKind", ConfigIssueText.unknownBusKind)
        add("config.nonStandardBaud", ConfigIssueText.nonStandardBaud)
        add("config.unknownQuantity", ConfigIssueText.unknownQuantity)
        add("config.gatewayTableMissing", ConfigIssueText.gatewayTableMissing)
        add("config.httpsOnly", ConfigIssueText.httpsOnly)
        add("config.noSuchFile", ConfigIssueText.noSuchFile)
        for thing in ConfigIssueText.Thing.allCases {
            add("config.duplicateName.\(thing.rawValue)", ConfigIssueText.duplicateName(what: thing, index: 0))
            add("config.giveUniqueName.\(thing.rawValue)", ConfigIssueText.giveUniqueName(what: thing))
        }
        for kind in ConfigIssueText.ValueKind.allCases {
            add("config.wrongKind.\(kind.rawValue)", ConfigIssueText.wrongKind(expected: kind, found: .string))
            add("config.writeKind.\(kind.rawValue)", ConfigIssueText.writeKind(kind))
        }
        add("config.addKey", ConfigIssueText.addKey(key: "capacity_litres", rule: "greater than 0 L"))
        add("config.useValue", ConfigIssueText.useValue(rule: "from 1 to 3600 s"))
        add("config.useValueBetween", ConfigIssueText.useValueBetween(low: "0.1", high: "86400", unit: "s", why: nil))
        add(
            "config.useValueBetween.why",
            ConfigIssueText.useValueBetween(low: "0.1", high: "86400", unit: "s", why: "below 0.1 s the bus is busy"))
        add("config.useValueAbove", ConfigIssueText.useValueAbove(low: "0", unit: "L", why: nil))
        add("config.useValueAtLeast", ConfigIssueText.useValueAtLeast(low: "1", unit: "", why: nil))
        add("config.useInteger", ConfigIssueText.useInteger(range: "1...2"))
        add("config.didYouMean", ConfigIssueText.didYouMean(key: "response_timeout_milliseconds"))
        add("config.useOneOf", ConfigIssueText.useOneOf(list: "voltage, power"))
        add("config.useOneOfOrAdd", ConfigIssueText.useOneOfOrAdd(list: "test-meter", file: "profiles/test-metre.toml"))
        add("config.useDeviceUnitID", ConfigIssueText.useDeviceUnitID(range: "1...247"))
        add("config.useParity", ConfigIssueText.useParity)
        add("config.removeOrChangeKind", ConfigIssueText.removeOrChangeKind)
        add("config.correctSyntax", ConfigIssueText.correctSyntax)
        add("config.useHTTPS", ConfigIssueText.useHTTPS)
        add("config.startWithSlash", ConfigIssueText.startWithSlash)
        add("config.installOrCorrectPath", ConfigIssueText.installOrCorrectPath)
        add("config.fixHint", ConfigIssueText.fixHint("use an https:// URL"))
        add("config.noSuchPoint", ConfigIssueText.noSuchPoint(device: "\"meter\""))
        add("config.useLanguage", ConfigIssueText.useLanguage)
        return samples
    }

    /// One sample per case of `CheckFinding`, in declaration order.
    static let findings: [(String, CheckFinding)] = [
        ("inputUnknown", .inputUnknown(.occupancy, reason)),
        ("occupancy", .occupancy(present: 1880, capacity: 2000, ratio: 0.94)),
        ("nobodyPresent", .nobodyPresent),
        ("areaPerPerson", .areaPerPerson(area: 1.62, persons: 1850, effectiveArea: 3000, minimum: 1.5)),
        ("alreadyFull", .alreadyFull(present: 2012, capacity: 2000)),
        ("notFilling", .notFilling(perMinute: -0.5, free: 120)),
        ("fillingUp", .fillingUp(free: 120, perMinute: 4.5, minutes: 26.7)),
        ("waterNobodyPresent", .waterNobodyPresent(litres: 60_000)),
        ("waterDays.present", .waterDays(litres: 72_400, persons: 1880, ifFull: false, ration: 15, days: 2.567)),
        ("waterDays.ifFull", .waterDays(litres: 3300, persons: 2000, ifFull: true, ration: 15, days: 0.11)),
        (
            "waterReserve",
            .waterReserve(litres: 60_000, required: 90_000, capacity: 2000, ration: 15, reserveDays: 3, ratio: 0.667)
        ),
        ("sources.power", .sources(.power, healthy: [.mains], unknown: [])),
        ("sources.water.none", .sources(.water, healthy: [], unknown: [])),
        ("sources.power.unknown", .sources(.power, healthy: [.mains], unknown: [.generator(generator)])),
        ("mainsPresent", .mainsPresent),
        ("generatorOnLoadAfter", .generatorOnLoadAfter(seconds: 40.2)),
        ("noGeneratorOnLoad", .noGeneratorOnLoad(secondsSinceLoss: 15.11)),
        ("fuel", .fuel(generator: generator, usableLitres: 480, burnRate: 20, hours: 24)),
        ("batteryNoLoad", .batteryNoLoad(energy: 72, load: 0)),
        ("battery.onBattery", .battery(energy: 14.4, load: 20, minutes: 43.2, onBattery: true)),
        ("battery.ifFail", .battery(energy: 72, load: 20, minutes: 216, onBattery: false)),
        ("sewage", .sewage(percent: 82, tankLitres: 10_000)),
        ("sewageFilling", .sewageFilling(percent: 82, tankLitres: 10_000, hoursToFull: 6.5, inflow: 277)),
        ("presentWhileNotActivated", .presentWhileNotActivated(persons: 12, state: .standby)),
        (
            "presentWhileNotActivatedFor",
            .presentWhileNotActivatedFor(persons: 130, state: .standby, heldSeconds: 660, limit: 100, holdSeconds: 600)
        ),
        ("deviceLink", .deviceLink(device: "io-hall", link: .down)),
        ("deviceOldestPoint", .deviceOldestPoint(device: "io-hall", link: .degraded, point: "door_in", intervals: 4.5)),
        ("deviceNeverRead", .deviceNeverRead(device: "io-hall", link: .unknown, point: "door_in")),
        (
            "busUnreachable",
            .busUnreachable(
                bus: "rs485-1", endpoint: "/dev/ttyUSB9", error: "no such file or directory",
                devices: ["genset", "ups1"])
        ),
        ("deviceOnUnreachableBus", .deviceOnUnreachableBus(device: "genset", bus: "rs485-1")),
        ("recordMatches", .recordMatches),
        (
            "recordDrift",
            .recordDrift([
                .noLiveSource(FacilityRef(.sewageTank, "sewage")),
                .beyondRating(
                    .generatorPower(generator), reading: .quantity(112.4, .kilowatts, places: 1),
                    rating: .quantity(100, .kilowatts, places: 1)),
            ])
        ),
        ("drillChanged.started", .drillChanged(started: true)),
        ("drillChanged.ended", .drillChanged(started: false)),
        ("notRunning", .notRunning(check: "C-21", state: .activated)),
        ("measured", .measured(.waterDays, value: 0.11, threshold: 1)),
        ("measured.noThreshold", .measured(.sourceRedundancy, value: 1, threshold: nil)),
    ]
}
