@testable import ShelterCore

/// Which case of its type a catalog entry is, by exhaustive switches: adding a case to an entry type does not
/// compile until it gets a number here, and `CatalogTests` then fails until a sample uses it.
enum CatalogCoverage {
    /// The type's name, the case's number and the number of cases of the type.
    static func position(of entry: any CatalogEntry) -> (type: String, index: Int, count: Int)? {
        switch entry {
        case let e as StatusText:
            let i =
                switch e {
                case .lifecycle: 0
                case .lifecycleStatus: 1
                case .checkStatus: 2
                case .resourceLevel: 3
                case .resource: 4
                case .link: 5
                case .noSample: 6
                case .noSampleReason: 7
                case .thresholdOrigin: 8
                }
            return ("StatusText", i, 9)
        case let e as CheckText:
            let i =
                switch e {
                case .event: 0
                case .instruction: 1
                case .noActionNeeded: 2
                case .source: 3
                case .title: 4
                }
            return ("CheckText", i, 5)
        case let e as CheckTitle:
            let i =
                switch e {
                case .plain: 0
                case .withSubject: 1
                case .waterForPresent: 2
                case .waterIfFull: 3
                case .healthySources: 4
                case .noGeneratorOnLoadYet: 5
                case .generatorTransferTime: 6
                case .fuel: 7
                case .device: 8
                case .deviceLink: 9
                case .deviceNeverRead: 10
                case .busUnreachable: 11
                case .bus: 12
                }
            return ("CheckTitle", i, 13)
        case let e as CheckInput:
            let i =
                switch e {
                case .occupancy: 0
                case .registeredCapacity: 1
                case .fillingRate: 2
                case .usableWater: 3
                case .waterRation: 4
                case .requiredReserve: 5
                case .sewageLevel: 6
                case .mainsState: 7
                case .generatorOnLoad: 8
                case .fuel: 9
                case .burnRate: 10
                case .batteryCharge: 11
                case .siteLoad: 12
                case .facilityBindings: 13
                case .computedValue: 14
                case .source: 15
                }
            return ("CheckInput", i, 16)
        case let e as SupplySource:
            let i =
                switch e {
                case .mains: 0
                case .generator: 1
                case .waterTank: 2
                case .municipalWater: 3
                }
            return ("SupplySource", i, 4)
        case let e as RecordDifference:
            let i =
                switch e {
                case .noLiveSource: 0
                case .beyondRating: 1
                case .notInRecord: 2
                }
            return ("RecordDifference", i, 3)
        case let e as RecordChange:
            let i =
                switch e {
                case .capacity: 0
                case .effectiveArea: 1
                case .facilityDropped: 2
                case .facilityAdded: 3
                }
            return ("RecordChange", i, 4)
        case is FacilityName:
            return ("FacilityName", 0, 1)
        case let e as CheckFinding:
            let i =
                switch e {
                case .inputUnknown: 0
                case .occupancy: 1
                case .nobodyPresent: 2
                case .areaPerPerson: 3
                case .alreadyFull: 4
                case .notFilling: 5
                case .fillingUp: 6
                case .waterNobodyPresent: 7
                case .waterDays: 8
                case .waterReserve: 9
                case .sources: 10
                case .mainsPresent: 11
                case .generatorOnLoadAfter: 12
                case .noGeneratorOnLoad: 13
                case .fuel: 14
                case .batteryNoLoad: 15
                case .battery: 16
                case .sewage: 17
                case .sewageFilling: 18
                case .presentWhileNotActivated: 19
                case .presentWhileNotActivatedFor: 20
                case .deviceLink: 21
                case .deviceOldestPoint: 22
                case .deviceNeverRead: 23
                case .recordMatches: 24
                case .recordDrift: 25
                case .drillChanged: 26
                case .notRunning: 27
                case .measured: 28
                case .busUnreachable: 29
                case .deviceOnUnreachableBus: 30
                }
            return ("CheckFinding", i, 31)
        case let e as AlertTextEntry:
            let i =
                switch e {
                case .headline: 0
                case .resolvedHeadline: 1
                case .description: 2
                }
            return ("AlertTextEntry", i, 3)
        case let e as ScreenText:
            let i =
                switch e {
                case .statusHeader: 0
                case .label: 1
                case .agentGone: 2
                case .registryReachable: 3
                case .registryError: 4
                case .registryUnreachable: 5
                case .registryNotContacted: 6
                case .recordVersion: 7
                case .clockSkew: 8
                case .outboxWaiting: 9
                case .outboxOldest: 10
                case .deadLetters: 11
                case .outboxHeld: 12
                case .lastAnswer: 13
                case .neverAnswered: 14
                case .roundTrip: 15
                case .answered: 16
                case .failures: 17
                case .failed: 18
                case .busUnit: 19
                case .noActiveAlerts: 20
                case .activeAlert: 21
                case .noSample: 22
                case .readAgo: 23
                case .severity: 24
                case .configurationValid: 25
                case .problemsFound: 26
                case .scanPresent: 27
                case .scanException: 28
                case .scanGarbled: 29
                case .scanSummary: 30
                case .readAt: 31
                case .planBus: 32
                case .planRequest: 33
                case .planWireTime: 34
                case .captured: 35
                case .agentStale: 36
                case .registryWasReachable: 37
                case .lastRegistryAnswer: 38
                case .busCannotOpen: 39
                case .planWireTimeAlternatives: 40
                case .planUtilisation: 41
                case .planUtilisationNotEstimated: 42
                case .planOverloaded: 43
                case .recordSameAsSiteFile: 44
                case .recordDiffers: 45
                case .pendingWord: 46
                case .pendingHold: 47
                case .pendingTransfer: 48
                case .noAnswerHint: 49
                case .reloadRefused: 50
                }
            return ("ScreenText", i, 51)
        case let e as ConfigIssueText:
            let i =
                switch e {
                case .requiredKeyMissing: 0
                case .mustNotBeEmpty: 1
                case .outOfRange: 2
                case .notFinite: 3
                case .unknownKey: 4
                case .mustBeAbsolutePath: 5
                case .unsupportedLanguage: 6
                case .noSuchProfile: 7
                case .noSuchBus: 8
                case .unknownParity: 9
                case .unknownBusKind: 10
                case .nonStandardBaud: 11
                case .unknownQuantity: 12
                case .gatewayTableMissing: 13
                case .httpsOnly: 14
                case .noSuchFile: 15
                case .duplicateName: 16
                case .wrongKind: 17
                case .addKey: 18
                case .useValue: 19
                case .useValueBetween: 20
                case .useValueAbove: 21
                case .useValueAtLeast: 22
                case .useInteger: 23
                case .didYouMean: 24
                case .useOneOf: 25
                case .useOneOfOrAdd: 26
                case .useDeviceUnitID: 27
                case .useParity: 28
                case .removeOrChangeKind: 29
                case .giveUniqueName: 30
                case .correctSyntax: 31
                case .useHTTPS: 32
                case .startWithSlash: 33
                case .writeKind: 34
                case .installOrCorrectPath: 35
                case .fixHint: 36
                case .noSuchPoint: 37
                case .useLanguage: 38
                case .noSuchProfileFile: 39
                case .profilesLookedUpIn: 40
                }
            return ("ConfigIssueText", i, 41)
        default:
            return nil
        }
    }
}
