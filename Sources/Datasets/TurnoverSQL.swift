/// SQL templates for top-K turnover: how fast the most-downloaded names of a registry change.
///
/// Jones et al. (ESEM 2024, claim C2) counted the distinct packages ever in the top 1,000 of
/// npm, PyPI and Hugging Face across four snapshots: a registry whose top 1,000 never changes
/// scores 1,000, one that is replaced completely at every snapshot scores 4,000. These templates
/// compute that number, and consecutive-snapshot retention, from one long table
///
/// ```
/// snapshots(registry TEXT, snapshot TEXT, name TEXT, downloads INTEGER, ...)
/// ```
///
/// with one row per name per snapshot. Snapshots must sort chronologically as text (ISO 8601
/// dates such as `2023-08-08` do). Names are ranked within each registry and snapshot with
/// `ROW_NUMBER()` (so exactly K names are in the top K even when downloads tie) by `orderBy`,
/// by default `downloads DESC, name`: NULL downloads rank last and ties go to the name that sorts
/// first. A source that publishes a ranking without counts (npm's high-impact lists) keeps its
/// rank in a column and passes `orderBy: "rank"`.
///
/// The templates use only window functions, common table expressions, `LEFT JOIN` and
/// `CAST(… AS DOUBLE PRECISION)` (REAL affinity in SQLite), which SQLite (3.25+) and PostgreSQL
/// run unchanged. `table` is quoted as an identifier; `orderBy` is
/// SQL written by the study's author and is inserted as it is.
public enum TurnoverSQL {
    /// The ranking all templates share: `ranked(registry, snapshot, name, downloads, rank)` and
    /// `top(registry, snapshot, name, rank)` for the rows with rank at most `k`.
    static func rankedTopK(table: String, k: Int, orderBy: String) -> String {
        precondition(k > 0, "k must be positive")
        return """
            WITH ranked AS (
              SELECT registry, snapshot, name, downloads,
                     ROW_NUMBER() OVER (PARTITION BY registry, snapshot ORDER BY \(orderBy)) AS rank
              FROM \(quoteIdentifier(table))
            ),
            top AS (
              SELECT registry, snapshot, name, rank FROM ranked WHERE rank <= \(k)
            )
            """
    }

    /// Top-K membership: `registry, snapshot, rank, name` for every name in the top `k` of its
    /// snapshot, ordered by registry, snapshot and rank.
    public static func topK(table: String, k: Int, orderBy: String = "downloads DESC, name") -> String {
        rankedTopK(table: table, k: k, orderBy: orderBy) + """

            SELECT registry, snapshot, rank, name FROM top
            ORDER BY registry, snapshot, rank
            """
    }

    /// One row per registry: `registry`, `snapshots` (how many), `ever_in_top_k` (distinct names
    /// that were in the top `k` of at least one snapshot) and `turnover_ratio`
    /// (`ever_in_top_k / k`: 1 when the top K never changes, the number of snapshots when it is
    /// replaced completely each time). Ordered by registry.
    public static func everInTopK(table: String, k: Int, orderBy: String = "downloads DESC, name") -> String {
        rankedTopK(table: table, k: k, orderBy: orderBy) + """

            SELECT registry,
                   COUNT(DISTINCT snapshot) AS snapshots,
                   COUNT(DISTINCT name) AS ever_in_top_k,
                   CAST(COUNT(DISTINCT name) AS DOUBLE PRECISION) / \(k) AS turnover_ratio
            FROM top
            GROUP BY registry
            ORDER BY registry
            """
    }

    /// One row per pair of consecutive snapshots of a registry: `registry`, `from_snapshot`,
    /// `to_snapshot`, `from_size` (names in the earlier top `k`), `retained` (of those, how many
    /// are still in the later top `k`) and `retention` (`retained / from_size`). Ordered by
    /// registry and snapshot. A registry with one snapshot has no rows.
    public static func retention(table: String, k: Int, orderBy: String = "downloads DESC, name") -> String {
        rankedTopK(table: table, k: k, orderBy: orderBy) + """
            ,
            pairs AS (
              SELECT registry, snapshot AS to_snapshot,
                     LAG(snapshot) OVER (PARTITION BY registry ORDER BY snapshot) AS from_snapshot
              FROM (SELECT DISTINCT registry, snapshot FROM top) AS snapshot_list
            )
            SELECT pairs.registry, pairs.from_snapshot, pairs.to_snapshot,
                   COUNT(earlier.name) AS from_size,
                   COUNT(later.name) AS retained,
                   CAST(COUNT(later.name) AS DOUBLE PRECISION) / COUNT(earlier.name) AS retention
            FROM pairs
            JOIN top AS earlier
              ON earlier.registry = pairs.registry AND earlier.snapshot = pairs.from_snapshot
            LEFT JOIN top AS later
              ON later.registry = pairs.registry AND later.snapshot = pairs.to_snapshot AND later.name = earlier.name
            WHERE pairs.from_snapshot IS NOT NULL
            GROUP BY pairs.registry, pairs.from_snapshot, pairs.to_snapshot
            ORDER BY pairs.registry, pairs.to_snapshot
            """
    }
}
