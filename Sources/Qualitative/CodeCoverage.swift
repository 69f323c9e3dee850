extension Code {
    /// The one rule of the code hierarchy: a code covers itself and its descendants, so a coding
    /// of `selection/popularity` counts as `selection`. The index states the same rule in SQL
    /// with `coverPrefix`.
    public static func covers(_ id: String, _ other: String) -> Bool {
        other == id || other.hasPrefix(coverPrefix(id))
    }

    /// What every descendant's id starts with.
    public static func coverPrefix(_ id: String) -> String { id + "/" }
}
