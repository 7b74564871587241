/// System.Text.RegularExpressions.Group: a capture of one match. Indexes and lengths are UTF-16 units.
struct DotNetGroup: Sendable, Equatable {
    let name: String
    let number: Int
    let success: Bool
    /// `""` when the group did not take part in the match.
    let value: String
    /// 0 when the group did not take part in the match, as in .NET.
    let index: Int
    let length: Int
}

/// System.Text.RegularExpressions.Match. `groups` is in .NET order: group 0, the unnamed groups, then
/// the named ones.
struct DotNetMatch: Sendable, Equatable {
    let groups: [DotNetGroup]

    /// .NET's `Match.Empty`, what `[regex]::Match` returns when nothing matched.
    static let empty = DotNetMatch(groups: [
        DotNetGroup(name: "0", number: 0, success: false, value: "", index: 0, length: 0),
    ])

    var success: Bool { groups[0].success }
    var value: String { groups[0].value }
    var index: Int { groups[0].index }
    var length: Int { groups[0].length }

    /// `$m.Groups['name']`: names are case-sensitive; a number's name is its digits (`"1"`).
    func group(named name: String) -> DotNetGroup? {
        groups.first { $0.name == name }
    }

    /// `$m.Groups[2]`: by group number, not by position in `groups`.
    func group(number: Int) -> DotNetGroup? {
        groups.first { $0.number == number }
    }

    /// What PowerShell puts in `$Matches` after `-match`: the groups that took part, keyed by name
    /// (PowerShell turns numeric names into int keys: `$Matches[1]`, `$Matches.year`).
    var successfulGroups: [DotNetGroup] {
        groups.filter(\.success)
    }
}
