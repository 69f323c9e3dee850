import GRDBSQLite

/// The SQLite authorizer of metric queries: an allow-list of reading actions and of functions.
///
/// SQLite consults the authorizer for every action while a statement compiles, the statements
/// that virtual tables such as FTS5 prepare for themselves included. Anything not listed here is
/// denied, so a function or action added by a later SQLite (or by an extension compiled into the
/// system library) is refused until someone has read what it does and added it.
///
/// Functions are the sharp edge: the system SQLite is built with `SQLITE_ENABLE_FTS3_TOKENIZER`,
/// so `fts3_tokenizer('name', x'…')` stores a caller-chosen pointer that a later FTS3 query calls
/// through, and `fts3_tokenizer('simple')` prints a code address. `load_extension` loads a
/// shared library; shells and extensions add `readfile`, `writefile`, `edit` and the like. Those
/// are all absent from the list, and so are `printf` and `format`: one call with a width of a
/// billion runs for half a minute inside SQLite, where the time limit cannot interrupt it. The list holds SQLite's core scalar, aggregate, window,
/// date and time, math and JSON functions, and the auxiliary functions of FTS3/FTS5 queries.
final class QueryAuthorizer: @unchecked Sendable {
    /// Why the last statement was refused, set while it compiled.
    private(set) var refusal: String?

    func reset() { refusal = nil }

    /// PRAGMAs that only read the schema and take a table or index name as their argument.
    private static let schemaPragmas: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    ]

    /// PRAGMAs that only report a value when given no argument. FTS5 runs `PRAGMA data_version`
    /// on its own to notice changes to its index; without it a database holding an FTS5 table
    /// cannot be queried at all.
    private static let readingPragmas: Set<String> = ["data_version", "page_size", "page_count", "schema_version"]

    /// Functions metric queries may call; see the type's summary for what is left out and why.
    static let allowedFunctions: Set<String> = [
        // Core scalar functions.
        "abs", "char", "coalesce", "concat", "concat_ws", "glob", "hex", "ifnull", "iif", "instr",
        "length", "like", "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "octet_length",
        "quote", "random", "randomblob", "replace", "round", "rtrim", "sign", "soundex", "substr",
        "substring", "trim", "typeof", "unhex", "unicode", "unlikely", "upper", "zeroblob",
        "sqlite_version", "changes", "total_changes", "last_insert_rowid",
        // Aggregates.
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // Window functions.
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value",
        // Dates and times.
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        "current_date", "current_time", "current_timestamp",
        // Math (SQLITE_ENABLE_MATH_FUNCTIONS).
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees",
        "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh",
        "sqrt", "tan", "tanh", "trunc",
        // JSON, the -> and ->> operators included.
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_error_position", "json_extract",
        "jsonb_extract", "json_insert", "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch",
        "json_pretty", "json_quote", "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set",
        "jsonb_set", "json_type", "json_valid", "json_group_array", "jsonb_group_array", "json_group_object",
        "jsonb_group_object", "->", "->>",
        // Full-text search: MATCH and the auxiliary functions of FTS3/4 and FTS5.
        "match", "snippet", "offsets", "matchinfo", "highlight", "bm25",
    ]

    func install(on connection: OpaquePointer) {
        sqlite3_set_authorizer(connection, { context, action, first, second, _, _ in
            Unmanaged<QueryAuthorizer>.fromOpaque(context!).takeUnretainedValue()
                .authorize(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// SQLite reports a CREATE or DROP first as a write to its schema table, then as itself: the
    /// schema-table write is let through so that the CREATE or DROP is denied with a precise
    /// reason. A direct write to `sqlite_master` still fails: SQLite forbids it without
    /// `writable_schema`, and the read-only file, `query_only` and the statement check stop it too.
    private func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            let name = (second ?? "").lowercased()
            if Self.allowedFunctions.contains(name) { return SQLITE_OK }
            switch name {
            case "load_extension":
                return deny("the function load_extension loads code into SQLite")
            case "printf", "format":
                return deny("the function \(name) can spend minutes inside one call (a width of a billion), out of reach of the time limit; build text with || and round()")
            case "fts3_tokenizer":
                return deny("the function fts3_tokenizer can read or replace the code address of a full-text tokenizer")
            default:
                return deny("the function \(second ?? "") is not one metric queries may call (SQLite's core, aggregate, window, date, math, JSON and full-text functions are allowed)")
            }
        case SQLITE_PRAGMA:
            if let name = first?.lowercased() {
                if Self.schemaPragmas.contains(name) { return SQLITE_OK }
                if second == nil, Self.readingPragmas.contains(name) { return SQLITE_OK }
            }
            return deny("PRAGMA \(first ?? "") can change the connection's settings (only the schema-reading PRAGMAs such as table_info are allowed)")
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return deny("\(first ?? "transaction control") controls transactions")
        case SQLITE_ATTACH:
            return deny("ATTACH opens another database")
        case SQLITE_DETACH:
            return deny("DETACH closes a database")
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            if let table = first, table == "sqlite_master" || table == "sqlite_temp_master" {
                return SQLITE_OK
            }
            let verb = action == SQLITE_INSERT ? "inserts into" : action == SQLITE_UPDATE ? "updates" : "deletes from"
            return deny("the statement \(verb) the table '\(first ?? "")'")
        case SQLITE_CREATE_TEMP_TABLE, SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TEMP_TRIGGER:
            return deny("CREATE TEMP creates a temporary object '\(first ?? "")'")
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_INDEX, SQLITE_CREATE_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VTABLE:
            return deny("CREATE creates '\(first ?? "")'")
        case SQLITE_DROP_TABLE, SQLITE_DROP_INDEX, SQLITE_DROP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_VTABLE,
             SQLITE_DROP_TEMP_TABLE, SQLITE_DROP_TEMP_INDEX, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TEMP_TRIGGER:
            return deny("DROP removes '\(first ?? "")'")
        default:
            return deny("the statement does more than read (SQLite action \(action))")
        }
    }

    private func deny(_ reason: String) -> Int32 {
        if refusal == nil { refusal = reason }
        return SQLITE_DENY
    }
}
