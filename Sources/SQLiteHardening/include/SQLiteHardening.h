#ifndef TRIANGULATE_SQLITE_HARDENING_H
#define TRIANGULATE_SQLITE_HARDENING_H

/// Sets an integer option of sqlite3_db_config() on a connection (a `sqlite3 *`) and writes the
/// option's new value to `*result`; returns SQLite's result code. sqlite3_db_config() is variadic,
/// so Swift cannot call it directly. The header names no SQLite type, so it can be imported next to
/// GRDB's own SQLite module without declaring anything twice.
int triangulate_sqlite3_db_config_int(void *connection, int option, int value, int *result);

#endif
