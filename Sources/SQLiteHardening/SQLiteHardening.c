#include <sqlite3.h>
#include "SQLiteHardening.h"

int triangulate_sqlite3_db_config_int(void *connection, int option, int value, int *result) {
    return sqlite3_db_config((sqlite3 *)connection, option, value, result);
}
