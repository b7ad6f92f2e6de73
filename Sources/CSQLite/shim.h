#ifndef NIANBAO_CSQLITE_SHIM_H
#define NIANBAO_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro around a cast of -1 to a function pointer; Swift cannot import it.
static inline sqlite3_destructor_type nianbao_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
