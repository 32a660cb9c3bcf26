/// The words of `check-config` issues in each language (issue 16 item 3). The validators write English
/// (`ConfigurationIssue.message`, `.fix`); `ConfigurationIssue.text(in:)` recognises the common headings and
/// fix hints (`message(_:)`, `fix(_:)`) and writes them in Chinese; a heading or hint not recognised, and the
/// English details after a recognised heading (a rule's explanation, a range), stay as written. Key paths,
/// values and file names are never translated: the reader types them into the file.
public enum ConfigIssueText: CatalogEntry {
    /// `required key is missing`.
    case requiredKeyMissing
    /// `must not be empty`.
    case mustNotBeEmpty
    /// `out of range`, with the rule after it (`detail`, English) when the validator gives one.
    case outOfRange(detail: String?)
    /// `not a finite number` (TOML `nan`, `inf`).
    case notFinite
    /// `unknown key`.
    case unknownKey
    /// `must be an absolute path`.
    case mustBeAbsolutePath
    /// `gateway.language` is not `zh-CN` or `en`.
    case unsupportedLanguage
    /// `no profile has this name`.
    case noSuchProfile
    /// `no bus has this name`.
    case noSuchBus
    /// `unknown parity`.
    case unknownParity
    /// `unknown bus kind`.
    case unknownBusKind
    /// `not a standard baud rate`.
    case nonStandardBaud
    /// `unknown quantity`.
    case unknownQuantity
    /// `the [gateway] table is missing`.
    case gatewayTableMissing
    /// `the registry is reached over verified TLS only`.
    case httpsOnly
    /// `no such file`.
    case noSuchFile
    /// `duplicate <what> name (also at index <index>)`.
    case duplicateName(what: Thing, index: Int)
    /// `expected <kind>, found <kind>`.
    case wrongKind(expected: ValueKind, found: ValueKind)
    /// Fix: `add `key = …` (<rule>)`.
    case addKey(key: String, rule: String)
    /// Fix: `use a value <rule>` (the rule is English: `from 1 to 3600 s`).
    case useValue(rule: String)
    /// Fix: `use a value from <low> to <high> <unit>`, with the policy's reason after `: ` (`why`, English).
    case useValueBetween(low: String, high: String, unit: String, why: String?)
    /// Fix: `use a value greater than <low> <unit>`.
    case useValueAbove(low: String, unit: String, why: String?)
    /// Fix: `use a value of at least <low> <unit>`.
    case useValueAtLeast(low: String, unit: String, why: String?)
    /// Fix: `use an integer <low>...<high>`.
    case useInteger(range: String)
    /// Fix: `did you mean `key`?`.
    case didYouMean(key: String)
    /// Fix: `use one of <list>`.
    case useOneOf(list: String)
    /// Fix: `use one of <list>, or add <file>`.
    case useOneOfOrAdd(list: String, file: String)
    /// Fix: `use the unit id set on the device, <range>`.
    case useDeviceUnitID(range: String)
    /// Fix: the three parities of Modbus RTU.
    case useParity
    /// Fix: `remove the key, or change kind`.
    case removeOrChangeKind
    /// Fix: `give every <what> a unique name`.
    case giveUniqueName(what: Thing)
    /// Fix: `correct the TOML syntax at that position`.
    case correctSyntax
    /// Fix: `use an https:// URL`.
    case useHTTPS
    /// Fix: `start the path with /`.
    case startWithSlash
    /// Fix: `write <kind> (see Firmware-Config/README.md)`.
    case writeKind(ValueKind)
    /// Fix: `install the file or correct the path`.
    case installOrCorrectPath
    /// `device "<name>" has no such point`.
    case noSuchPoint(device: String)
    /// Fix for `gateway.language`: the two values.
    case useLanguage
    /// `no such profile file: <file>` (issue 11: the file looked for, so a site copied elsewhere says where).
    case noSuchProfileFile(file: String, directoryExists: Bool)
    /// Fix: where profiles are looked up and how to point elsewhere (`--profiles`).
    case profilesLookedUpIn(directory: String, isGiven: Bool)
    /// A fix hint after the message: ` (fix: …)` / `（修改方法：…）`; `hint` already in the reader's language.
    case fixHint(String)

    /// What a duplicate name belongs to.
    public enum Thing: String, Sendable, Hashable, CaseIterable {
        case device, bus, point
    }

    /// A TOML value kind as the schema walker names it (`an integer`, `a string` …).
    public enum ValueKind: String, Sendable, Hashable, CaseIterable {
        case integer = "an integer"
        case number = "a number"
        case string = "a string"
        case boolean = "a boolean"
        case table = "a table"
        case array = "an array"
        case date = "a date"
    }

    public var texts: Bilingual {
        switch self {
        case .requiredKeyMissing: Bilingual(zh: "缺少必填项", en: "required key is missing")
        case .mustNotBeEmpty: Bilingual(zh: "不能为空", en: "must not be empty")
        case .outOfRange(let detail):
            if let detail {
                Bilingual(zh: "超出允许范围：\(.verbatim(detail))", en: "out of range: \(.verbatim(detail))")
            } else {
                Bilingual(zh: "超出允许范围", en: "out of range")
            }
        case .notFinite: Bilingual(zh: "不是有限的数值", en: "not a finite number")
        case .unknownKey: Bilingual(zh: "未知的配置项", en: "unknown key")
        case .mustBeAbsolutePath: Bilingual(zh: "必须是绝对路径", en: "must be an absolute path")
        case .unsupportedLanguage: Bilingual(zh: "不是网关支持的语言", en: "not a language the gateway writes")
        case .noSuchProfile: Bilingual(zh: "没有此名称的设备配置文件", en: "no profile has this name")
        case .noSuchBus: Bilingual(zh: "没有此名称的总线", en: "no bus has this name")
        case .unknownParity: Bilingual(zh: "未知的校验方式", en: "unknown parity")
        case .unknownBusKind: Bilingual(zh: "未知的总线类型", en: "unknown bus kind")
        case .nonStandardBaud: Bilingual(zh: "不是标准波特率", en: "not a standard baud rate")
        case .unknownQuantity: Bilingual(zh: "未知的物理量", en: "unknown quantity")
        case .gatewayTableMissing: Bilingual(zh: "缺少 [gateway] 表", en: "the [gateway] table is missing")
        case .httpsOnly:
            Bilingual(zh: "只能通过经验证的 TLS 连接登记系统", en: "the registry is reached over verified TLS only")
        case .noSuchFile: Bilingual(zh: "文件不存在", en: "no such file")
        case .duplicateName(let what, let index):
            Bilingual(
                zh: "\(Self.thing(what))名称重复（与第 \(.integer(index)) 项相同）",
                en: "duplicate \(Self.thing(what)) name (also at index \(.integer(index)))")
        case .wrongKind(let expected, let found):
            Bilingual(
                zh: "应为\(Self.kind(expected))，实际为\(Self.kind(found))",
                en: "expected \(Self.kind(expected)), found \(Self.kind(found))")
        case .addKey(let key, let rule):
            Bilingual(
                zh: "添加 `\(.verbatim(key)) = …`（\(.verbatim(rule))）",
                en: "add `\(.verbatim(key)) = …` (\(.verbatim(rule)))")
        case .useValue(let rule): Bilingual(zh: "取值应 \(.verbatim(rule))", en: "use a value \(.verbatim(rule))")
        case .useValueBetween(let low, let high, let unit, let why):
            Self.withWhy(
                Bilingual(
                    zh: "取值范围 \(.verbatim(low)) 到 \(.verbatim(high))" + Self.unit(unit),
                    en: "use a value from \(.verbatim(low)) to \(.verbatim(high))" + Self.unit(unit)), why)
        case .useValueAbove(let low, let unit, let why):
            Self.withWhy(
                Bilingual(
                    zh: "取值应大于 \(.verbatim(low))" + Self.unit(unit),
                    en: "use a value greater than \(.verbatim(low))" + Self.unit(unit)), why)
        case .useValueAtLeast(let low, let unit, let why):
            Self.withWhy(
                Bilingual(
                    zh: "取值应不小于 \(.verbatim(low))" + Self.unit(unit),
                    en: "use a value of at least \(.verbatim(low))" + Self.unit(unit)), why)
        case .useInteger(let range):
            Bilingual(zh: "使用 \(.verbatim(range)) 之间的整数", en: "use an integer \(.verbatim(range))")
        case .didYouMean(let key): Bilingual(zh: "是否应为 `\(.verbatim(key))`？", en: "did you mean `\(.verbatim(key))`?")
        case .useOneOf(let list): Bilingual(zh: "使用以下之一：\(.verbatim(list))", en: "use one of \(.verbatim(list))")
        case .useOneOfOrAdd(let list, let file):
            Bilingual(
                zh: "使用以下之一：\(.verbatim(list))；或添加 \(.verbatim(file))",
                en: "use one of \(.verbatim(list)), or add \(.verbatim(file))")
        case .useDeviceUnitID(let range):
            Bilingual(
                zh: "使用设备上设定的从站地址（\(.verbatim(range))）",
                en: "use the unit id set on the device, \(.verbatim(range))")
        case .useParity:
            Bilingual(
                zh: "使用 \"N\"（无校验）、\"E\"（偶校验，Modbus 默认）或 \"O\"（奇校验）",
                en: "use \"N\" (none), \"E\" (even, the Modbus default) or \"O\" (odd)")
        case .removeOrChangeKind: Bilingual(zh: "删除该项，或修改 kind", en: "remove the key, or change kind")
        case .giveUniqueName(let what):
            Bilingual(zh: "每个\(Self.thing(what))使用不同的名称", en: "give every \(Self.thing(what)) a unique name")
        case .correctSyntax: Bilingual(zh: "修正该位置的 TOML 语法", en: "correct the TOML syntax at that position")
        case .useHTTPS: Bilingual(zh: "使用 https:// 地址", en: "use an https:// URL")
        case .startWithSlash: Bilingual(zh: "路径以 / 开头", en: "start the path with /")
        case .writeKind(let kind):
            Bilingual(
                zh: "写成\(Self.kind(kind))（见 Firmware-Config/README.md）",
                en: "write \(Self.kind(kind)) (see Firmware-Config/README.md)")
        case .installOrCorrectPath: Bilingual(zh: "安装该文件或更正路径", en: "install the file or correct the path")
        case .noSuchPoint(let device):
            Bilingual(zh: "设备 \(.verbatim(device)) 没有此测点", en: "device \(.verbatim(device)) has no such point")
        case .useLanguage:
            Bilingual(
                zh: "使用 \"zh-CN\"（简体中文，默认）或 \"en\"；告警总是同时带有两种语言",
                en: "use \"zh-CN\" (Simplified Chinese, the default) or \"en\"; alerts always carry both languages")
        case .noSuchProfileFile(let file, let directoryExists):
            directoryExists
                ? Bilingual(zh: "设备配置文件不存在：\(.verbatim(file))", en: "no such profile file: \(.verbatim(file))")
                : Bilingual(
                    zh: "设备配置文件不存在：\(.verbatim(file))（该目录不存在）",
                    en: "no such profile file: \(.verbatim(file)) (no such directory)")
        case .profilesLookedUpIn(let directory, let isGiven):
            isGiven
                ? Bilingual(
                    zh: "设备配置文件在 --profiles 指定的 \(.verbatim(directory)) 中查找：请把文件放到该处，或用 --profiles 指定存放它们的目录",
                    en:
                        "profiles are looked up in \(.verbatim(directory)), given by --profiles: add the file there, or "
                        + "give --profiles the directory that holds them")
                : Bilingual(
                    zh: "设备配置文件在 \(.verbatim(directory)) 中查找（站点文件所在目录旁的 profiles 目录）："
                        + "请把 profiles 目录复制到该处，或用 --profiles 指定存放它们的目录",
                    en:
                        "profiles are looked up in \(.verbatim(directory)) (profiles/ beside the site file's directory): "
                        + "copy the profiles there, or give --profiles the directory that holds them")
        case .fixHint(let hint): Bilingual(zh: "（修改方法：\(.verbatim(hint))）", en: "(fix: \(.verbatim(hint)))")
        }
    }

    /// ` <unit>` after a number, or nothing.
    private static func unit(_ unit: String) -> TextTemplate { unit.isEmpty ? "" : " \(.verbatim(unit))" }

    /// A range hint and the policy's reason: `…：reason` / `…: reason`.
    private static func withWhy(_ hint: Bilingual, _ why: String?) -> Bilingual {
        guard let why else { return hint }
        return Bilingual(zh: hint.zh + "：\(.verbatim(why))", en: hint.en + ": \(.verbatim(why))")
    }

    private static func thing(_ thing: Thing) -> TextArgument { .entry(AnyCatalogEntry(thing)) }

    private static func kind(_ kind: ValueKind) -> TextArgument { .entry(AnyCatalogEntry(kind)) }

    /// The English heading `text` as a catalog entry, when it is one of the common ones; else `nil`.
    public static func message(_ text: String) -> ConfigIssueText? {
        let exact: [String: ConfigIssueText] = [
            "required key is missing": .requiredKeyMissing, "must not be empty": .mustNotBeEmpty,
            "out of range": .outOfRange(detail: nil), "not a finite number": .notFinite, "unknown key": .unknownKey,
            "must be an absolute path": .mustBeAbsolutePath, "not a language the gateway writes": .unsupportedLanguage,
            "no profile has this name": .noSuchProfile, "no bus has this name": .noSuchBus,
            "unknown parity": .unknownParity, "unknown bus kind": .unknownBusKind,
            "not a standard baud rate": .nonStandardBaud, "unknown quantity": .unknownQuantity,
            "the [gateway] table is missing": .gatewayTableMissing,
            "the registry is reached over verified TLS only": .httpsOnly, "no such file": .noSuchFile,
        ]
        if let entry = exact[text] { return entry }
        if let detail = text.dropPrefix("out of range: ") { return .outOfRange(detail: detail) }
        if let rest = text.dropPrefix("no such profile file: ") {
            if let file = rest.dropSuffix(" (no such directory)") {
                return .noSuchProfileFile(file: file, directoryExists: false)
            }
            return .noSuchProfileFile(file: rest, directoryExists: true)
        }
        if let rest = text.dropPrefix("device "), rest.hasSuffix(" has no such point") {
            return .noSuchPoint(device: String(rest.dropLast(" has no such point".count)))
        }
        if let rest = text.dropPrefix("duplicate "), let nameAt = rest.firstRange(of: " name (also at index "),
            let what = Thing(rawValue: String(rest[..<nameAt.lowerBound])), rest.hasSuffix(")"),
            let index = Int(rest[nameAt.upperBound...].dropLast())
        {
            return .duplicateName(what: what, index: index)
        }
        if let rest = text.dropPrefix("expected "), let comma = rest.firstRange(of: ", found "),
            let expected = ValueKind(rawValue: String(rest[..<comma.lowerBound])),
            let found = ValueKind(rawValue: String(rest[comma.upperBound...]))
        {
            return .wrongKind(expected: expected, found: found)
        }
        return nil
    }

    /// The English fix hint `text` as a catalog entry, when it is one of the common ones; else `nil`.
    public static func fix(_ text: String) -> ConfigIssueText? {
        let exact: [String: ConfigIssueText] = [
            "remove the key, or change kind": .removeOrChangeKind,
            "correct the TOML syntax at that position": .correctSyntax, "use an https:// URL": .useHTTPS,
            "start the path with /": .startWithSlash, "install the file or correct the path": .installOrCorrectPath,
            "use \"N\" (none), \"E\" (even, the Modbus default) or \"O\" (odd)": .useParity,
            ConfigIssueText.useLanguage.text(in: .en): .useLanguage,
        ]
        if let entry = exact[text] { return entry }
        if let rest = text.dropPrefix("profiles are looked up in ") {
            for isGiven in [true, false] {
                let tail = ConfigIssueText.profilesLookedUpIn(directory: "", isGiven: isGiven).text(in: .en)
                    .dropFirst("profiles are looked up in ".count)
                if let directory = rest.dropSuffix(String(tail)) {
                    return .profilesLookedUpIn(directory: directory, isGiven: isGiven)
                }
            }
        }
        if let rest = text.dropPrefix("did you mean `"), rest.hasSuffix("`?") {
            return .didYouMean(key: String(rest.dropLast(2)))
        }
        if let rest = text.dropPrefix("add `"), let end = rest.firstRange(of: " = …` ("), rest.hasSuffix(")") {
            return .addKey(key: String(rest[..<end.lowerBound]), rule: String(rest[end.upperBound...].dropLast()))
        }
        if let rest = text.dropPrefix("use an integer "), !rest.contains(" ") { return .useInteger(range: rest) }
        if let rest = text.dropPrefix("use a value ") { return Self.valueRange(rest) ?? .useValue(rule: rest) }
        if let rest = text.dropPrefix("use the unit id set on the device, ") { return .useDeviceUnitID(range: rest) }
        if let rest = text.dropPrefix("use one of "), let or = rest.firstRange(of: ", or add "),
            !rest[or.upperBound...].contains(" ")
        {
            return .useOneOfOrAdd(list: String(rest[..<or.lowerBound]), file: String(rest[or.upperBound...]))
        }
        if let rest = text.dropPrefix("use one of "), !rest.contains(", or ") { return .useOneOf(list: rest) }
        if let rest = text.dropPrefix("give every "), rest.hasSuffix(" a unique name"),
            let what = Thing(rawValue: String(rest.dropLast(" a unique name".count)))
        {
            return .giveUniqueName(what: what)
        }
        if let rest = text.dropPrefix("write "), rest.hasSuffix(" (see Firmware-Config/README.md)"),
            let kind = ValueKind(rawValue: String(rest.dropLast(" (see Firmware-Config/README.md)".count)))
        {
            return .writeKind(kind)
        }
        return nil
    }
}

extension ConfigIssueText {
    /// `from 0.1 to 86400 s: why`, `greater than 0 L`, `of at least 1` (what `IssueCollector.number` writes).
    static func valueRange(_ rule: String) -> ConfigIssueText? {
        var body = rule
        var why: String?
        if let colon = rule.firstRange(of: ": ") {
            body = String(rule[..<colon.lowerBound])
            why = String(rule[colon.upperBound...])
        }
        let words = body.split(separator: " ").map(String.init)
        func unit(_ from: Int) -> String { words.count > from ? words[from...].joined(separator: " ") : "" }
        if words.count >= 4, words[0] == "from", words[2] == "to" {
            return .useValueBetween(low: words[1], high: words[3], unit: unit(4), why: why)
        }
        if words.count >= 3, words[0] == "greater", words[1] == "than" {
            return .useValueAbove(low: words[2], unit: unit(3), why: why)
        }
        if words.count >= 4, words[0] == "of", words[1] == "at", words[2] == "least" {
            return .useValueAtLeast(low: words[3], unit: unit(4), why: why)
        }
        return nil
    }
}

extension ConfigIssueText.Thing: CatalogEntry {
    /// 设备 / device, 总线 / bus, 测点 / point.
    public var texts: Bilingual {
        switch self {
        case .device: Bilingual(zh: "设备", en: "device")
        case .bus: Bilingual(zh: "总线", en: "bus")
        case .point: Bilingual(zh: "测点", en: "point")
        }
    }
}

extension ConfigIssueText.ValueKind: CatalogEntry {
    /// 整数 / an integer …
    public var texts: Bilingual {
        switch self {
        case .integer: Bilingual(zh: "整数", en: "an integer")
        case .number: Bilingual(zh: "数值", en: "a number")
        case .string: Bilingual(zh: "字符串", en: "a string")
        case .boolean: Bilingual(zh: "布尔值", en: "a boolean")
        case .table: Bilingual(zh: "表", en: "a table")
        case .array: Bilingual(zh: "数组", en: "an array")
        case .date: Bilingual(zh: "日期", en: "a date")
        }
    }
}

extension String {
    /// The rest of the string after `prefix`, or `nil` when it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    /// The string before `suffix`, or `nil` when it does not end with it.
    fileprivate func dropSuffix(_ suffix: String) -> String? {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil
    }
}
