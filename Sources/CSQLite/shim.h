#ifndef NIANBAO_CSQLITE_SHIM_H
#define NIANBAO_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT and SQLITE_STATIC are macros around casts to a function pointer; Swift cannot import them.
static inline sqlite3_destructor_type nianbao_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type nianbao_sqlite_static(void) { return SQLITE_STATIC; }

// sqlite3_config is variadic, which Swift cannot call. Memory statistics cost a global mutex and counter
// updates on every allocation; nothing here reads them. Effective only before SQLite initializes.
static inline int nianbao_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
