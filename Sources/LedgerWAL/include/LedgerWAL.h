#ifndef LEDGER_WAL_H
#define LEDGER_WAL_H

#include <sqlite3.h>

/// The VFS's name. `ledger_wal_register` makes it SQLite's default, over the default it finds.
#define LEDGER_WAL_VFS_NAME "postgateway-wal"

/// File control on a connection's main database (an int: 1 or 0): gather the appends to its WAL into one write, which
/// reaches the file before the WAL is synced. Only for a connection that syncs every commit (synchronous=FULL).
#define LEDGER_WAL_FCNTL_GATHER 0x4C570001

/// File control on a connection's main database (two sqlite3_int64): the writes SQLite made to its WAL, and the writes
/// that reached the file, since the WAL was opened.
#define LEDGER_WAL_FCNTL_WRITES 0x4C570002

/// File control on a connection's main database (no argument): the next gathered write to its WAL fails with
/// SQLITE_IOERR_WRITE, as a full disk would make it. For tests of what a failed write leaves.
#define LEDGER_WAL_FCNTL_FAIL_NEXT_WRITE 0x4C570003

/// Registers the VFS as SQLite's default, once: SQLITE_OK, or why not.
int ledger_wal_register(void);

#endif
