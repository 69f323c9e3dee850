/// SQL templates for top-K turnover: how fast the most-downloaded names of a registry change.
///
/// Jones et al. (ESEM 2024, claim C2; `turnover.ipynb` of their replication package) compare the
/// top 1,000 of npm, PyPI and Hugging Face across four snapshots. For every snapshot after the
/// first they split its top K into
/// - **remained**: names that were in the top K of the previous snapshot;
/// - **returning**: names that were not in the previous top K but were in an earlier one;
/// - **newcomers**: names in the top K for the first time;
///
/// and they count the distinct names **ever in the top K**: a registry whose top 1,000 never
/// changes scores 1,000, one replaced completely at every snapshot 4,000. In the first snapshot
/// every name is a newcomer. `turnover` gives these figures, `everInTopK` the totals and
/// `retention` the share of each top K still there in the next snapshot. They read one long table
///
/// ```
/// snapshots(registry TEXT, snapshot TEXT, name TEXT, downloads INTEGER, ...)
/// ```
///
/// with one row per name per snapshot. Snapshots must sort chronologically as text (ISO 8601
/// dates such as `2023-08-08` do).
///
/// Ranking, ties and duplicates. Names are ranked within each registry and snapshot by `orderBy`,
/// by default `downloads DESC NULLS LAST` (missing downloads rank last on SQLite and PostgreSQL
/// alike), then always by name, with `ROW_NUMBER()`: exactly K names are in the top K, and a tie
/// at the K-th place goes to the name that sorts first — deterministic on every database (the
/// notebook's `ORDER BY downloads DESC LIMIT 1000` leaves it to the database). A name listed
/// twice in one snapshot counts once, at its best row by `orderBy` (before, it took two places).
/// Rows without a name are ignored. A source that publishes a ranking without counts (npm's
/// high-impact lists) keeps its rank in a column and passes `orderBy: "rank"`.
///
/// The templates use only window functions, common table expressions, `LEFT JOIN`, `CASE`,
/// `NULLS LAST` and `CAST(… AS DOUBLE PRECISION)` (REAL affinity in SQLite), which SQLite (3.30+)
/// and PostgreSQL run unchanged. `table` is quoted as an identifier; `orderBy` is SQL written by
/// the study's author and is inserted as it is.
public enum TurnoverSQL {
    /// The default ranking: most downloads first, missing downloads last.
    public static let byDownloads = "downloads DESC NULLS LAST"

    /// The ranking all templates share: `ranked(registry, snapshot, name, downloads, rank)` and
    /// `top(registry, snapshot, name, rank)` for the rows with rank at most `k`.
    static func rankedTopK(table: String, k: Int, orderBy: String) -> String {
        precondition(k > 0, "k must be positive")
        return """
            WITH named AS (
              SELECT source.*,
                     ROW_NUMBER() OVER (PARTITION BY registry, snapshot, name ORDER BY \(orderBy)) AS copy_number
              FROM \(quoteIdentifier(table)) AS source
              WHERE name IS NOT NULL
            ),
            ranked AS (
              SELECT registry, snapshot, name, downloads,
                     ROW_NUMBER() OVER (PARTITION BY registry, snapshot ORDER BY \(orderBy), name) AS rank
              FROM named
              WHERE copy_number = 1
            ),
            top AS (
              SELECT registry, snapshot, name, rank FROM ranked WHERE rank <= \(k)
            )
            """
    }

    /// One row per registry and snapshot, in order: `registry`, `from_snapshot` (the previous
    /// snapshot, NULL for the first), `snapshot`, `top_k` (names in this top K), `newcomers`,
    /// `returning`, `remained` (as Jones et al. define them; see the type's summary), `departed`
    /// (names of the previous top K not in this one, NULL for the first) and `ever_in_top_k` (distinct
    /// names in the top K of this or an earlier snapshot). `newcomers + returning + remained = top_k`.
    public static func turnover(table: String, k: Int, orderBy: String = byDownloads) -> String {
        rankedTopK(table: table, k: k, orderBy: orderBy) + """
            ,
            positions AS (
              SELECT registry, snapshot, ROW_NUMBER() OVER (PARTITION BY registry ORDER BY snapshot) AS position
              FROM (SELECT DISTINCT registry, snapshot FROM top) AS snapshot_list
            ),
            membership AS (
              SELECT top.registry, positions.position,
                     LAG(positions.position) OVER (PARTITION BY top.registry, top.name ORDER BY positions.position) AS previous_position
              FROM top
              JOIN positions ON positions.registry = top.registry AND positions.snapshot = top.snapshot
            ),
            counts AS (
              SELECT registry, position, COUNT(*) AS size,
                     SUM(CASE WHEN previous_position IS NULL THEN 1 ELSE 0 END) AS newcomers,
                     SUM(CASE WHEN previous_position < position - 1 THEN 1 ELSE 0 END) AS returners,
                     SUM(CASE WHEN previous_position = position - 1 THEN 1 ELSE 0 END) AS stayers
              FROM membership
              GROUP BY registry, position
            )
            SELECT positions.registry, previous.snapshot AS from_snapshot, positions.snapshot,
                   CAST(counts.size AS BIGINT) AS top_k,
                   CAST(counts.newcomers AS BIGINT) AS newcomers,
                   CAST(counts.returners AS BIGINT) AS "returning",
                   CAST(counts.stayers AS BIGINT) AS remained,
                   CAST(previous_counts.size - counts.stayers AS BIGINT) AS departed,
                   CAST(SUM(counts.newcomers) OVER (PARTITION BY positions.registry ORDER BY positions.position
                                                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS ever_in_top_k
            FROM positions
            JOIN counts ON counts.registry = positions.registry AND counts.position = positions.position
            LEFT JOIN positions AS previous
              ON previous.registry = positions.registry AND previous.position = positions.position - 1
            LEFT JOIN counts AS previous_counts
              ON previous_counts.registry = positions.registry AND previous_counts.position = positions.position - 1
            ORDER BY positions.registry, positions.position
            """
    }

    /// Top-K membership: `registry, snapshot, rank, name` for every name in the top `k` of its
    /// snapshot, ordered by registry, snapshot and rank.
    public static func topK(table: String, k: Int, orderBy: String = byDownloads) -> String {
        rankedTopK(table: table, k: k, orderBy: orderBy) + """

            SELECT registry, snapshot, rank, name FROM top
            ORDER BY registry, snapshot, rank
            """
    }

    /// One row per registry: `registry`, `snapshots` (how many), `ever_in_top_k` (distinct names
    /// that were in the top `k` of at least one snapshot) and `turnover_ratio`
    /// (`ever_in_top_k / k`: 1 when the top K never changes, the number of snapshots when it is
    /// replaced completely each time). Ordered by registry.
    public static func everInTopK(table: String, k: Int, orderBy: String = byDownloads) -> String {
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
    public static func retention(table: String, k: Int, orderBy: String = byDownloads) -> String {
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
