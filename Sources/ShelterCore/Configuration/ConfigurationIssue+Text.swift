extension ConfigurationIssue {
    /// The issue as `check-config` prints it in `language`. English is `description`. Chinese keeps the file,
    /// key path and value as written and translates the heading and the fix hint when the catalog knows them
    /// (`ConfigIssueText.message(_:)`, `.fix(_:)`); others stay English:
    /// `sites/a.toml：gateway.id：缺少必填项（修改方法：add the gateway id the registry issued）`.
    public func text(in language: Language) -> String {
        guard language == .zhCN else { return description }
        var line = file
        if !keyPath.isEmpty { line += "：\(keyPath)" }
        if !value.isEmpty { line += " = \(value)" }
        line += "：" + (ConfigIssueText.message(message)?.text(in: language) ?? message)
        if !fix.isEmpty {
            let hint = ConfigIssueText.fix(fix)?.text(in: language) ?? fix
            line += ConfigIssueText.fixHint(hint).text(in: language)  // full-width brackets: no space before
        }
        return line
    }
}
