// A VFS over SQLite's default one that gathers the frames a transaction appends to its WAL into one write.
//
// SQLite writes each WAL frame with two system calls, its 24-byte header and then its page, both into the file's
// page cache; a batch of intakes appends some fifty frames, so a hundred calls, in the single writer. For a connection
// that asks for it (LEDGER_WAL_FCNTL_GATHER, which the ledger's writer does once it syncs every commit), the writes
// that append to its WAL go into a buffer, and reach the file as one write before anything that could read them or
// must find them there:
// - before the WAL is synced (xSync): with synchronous=FULL each commit is, so what is acknowledged is on disk as before;
// - before the connection publishes or releases anything through the shared memory of its database file (xShmBarrier,
//   xShmLock, xUnlock): another connection learns of new frames only from there;
// - before any other use of the WAL file (a read, its size, a truncation, a file control, its closing), or a write
//   that does not append to what is buffered.
// A gathered write that fails stays failed: every later write, read, sync or size of that WAL reports the error until
// the WAL starts again from its beginning (or is truncated, or closed), so no commit can be published over frames that
// never reached the file. Unlocks always reach the VFS underneath, whatever a flush before them answered. A barrier
// cannot report an error: one there (never for a connection that syncs its commits, which has written everything at
// its sync) stops the process rather than publish a commit with a hole. Every other connection, file and call goes
// straight to the VFS underneath.

#include "LedgerWAL.h"

#include <stdlib.h>
#include <string.h>

// The unix VFS writes at most 0x1ffff bytes with each system call (and a write of a multiple of 128 KiB not at all),
// so a buffer holds no more: some thirty frames of 4 KiB pages.
#define LEDGER_WAL_BUFFER 0x1ffff

typedef struct LedgerFile LedgerFile;
struct LedgerFile {
    sqlite3_file base;
    sqlite3_file *real;         // the underlying VFS's file, allocated just after this struct
    int isWal;
    int gather;                 // for a database file: its connection asked for its WAL's appends to be gathered
    LedgerFile *wal;            // for a database file: its WAL, while open
    LedgerFile *database;       // for a WAL: its database file
    unsigned char *buffer;      // for a WAL: appended bytes not yet written, from `start`
    sqlite3_int64 start;
    int used;
    int failed;                 // for a WAL: the error of a gathered write that did not reach the file (sticky)
    int failNextWrite;          // for a WAL: a test asked for the next gathered write to fail
    sqlite3_int64 writesReceived;
    sqlite3_int64 writesMade;
};

// The VFS underneath, set once by `ledger_wal_register`: SQLite keeps registered VFSes for the life of the process.
static sqlite3_vfs *underlying;

// Writes what is buffered, or answers the error of the write that failed before.
static int flush(LedgerFile *file) {
    if (file->failed != SQLITE_OK) return file->failed;
    if (file->used == 0) return SQLITE_OK;
    int used = file->used;
    file->used = 0;
    file->writesMade += 1;
    file->failed = file->failNextWrite ? SQLITE_IOERR_WRITE : file->real->pMethods->xWrite(file->real, file->buffer, used, file->start);
    file->failNextWrite = 0;
    return file->failed;
}

static int flushWal(LedgerFile *database) {
    return database->wal ? flush(database->wal) : SQLITE_OK;
}

static int xClose(sqlite3_file *handle) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = file->isWal ? flush(file) : SQLITE_OK;
    if (file->isWal && file->database && file->database->wal == file) file->database->wal = NULL;
    if (!file->isWal && file->wal) file->wal->database = NULL;
    free(file->buffer);
    file->buffer = NULL;
    int closed = file->real->pMethods ? file->real->pMethods->xClose(file->real) : SQLITE_OK;
    return code != SQLITE_OK ? code : closed;
}

// Reads go on after a failed write: SQLite reads only committed frames, and each commit's frames reached the file at its
// sync.
static int xRead(sqlite3_file *handle, void *data, int amount, sqlite3_int64 offset) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = file->failed == SQLITE_OK ? flush(file) : SQLITE_OK;
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xRead(file->real, data, amount, offset);
}

static int xWrite(sqlite3_file *handle, const void *data, int amount, sqlite3_int64 offset) {
    LedgerFile *file = (LedgerFile *)handle;
    if (!file->isWal) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    file->writesReceived += 1;
    // A new WAL header: the WAL starts again from its beginning, and nothing after it counts any more.
    if (offset == 0) {
        file->used = 0;
        file->failed = SQLITE_OK;
    }
    if (file->failed != SQLITE_OK) return file->failed;
    if (!(file->database && file->database->gather)) {
        int code = flush(file);
        if (code != SQLITE_OK) return code;
        file->writesMade += 1;
        return file->real->pMethods->xWrite(file->real, data, amount, offset);
    }
    if (file->used > 0 && (offset != file->start + file->used || file->used + amount > LEDGER_WAL_BUFFER)) {
        int code = flush(file);
        if (code != SQLITE_OK) return code;
    }
    if (amount > LEDGER_WAL_BUFFER) {
        file->writesMade += 1;
        return file->real->pMethods->xWrite(file->real, data, amount, offset);
    }
    if (!file->buffer) {
        file->buffer = malloc(LEDGER_WAL_BUFFER);
        if (!file->buffer) {
            file->writesMade += 1;
            return file->real->pMethods->xWrite(file->real, data, amount, offset);
        }
    }
    if (file->used == 0) file->start = offset;
    memcpy(file->buffer + file->used, data, (size_t)amount);
    file->used += amount;
    return SQLITE_OK;
}

static int xTruncate(sqlite3_file *handle, sqlite3_int64 size) {
    LedgerFile *file = (LedgerFile *)handle;
    if (file->isWal && size == 0) {
        file->used = 0;
        file->failed = SQLITE_OK;
    }
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xTruncate(file->real, size);
}

static int xSync(sqlite3_file *handle, int flags) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xSync(file->real, flags);
}

static int xFileSize(sqlite3_file *handle, sqlite3_int64 *size) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = file->failed == SQLITE_OK ? flush(file) : SQLITE_OK;
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xFileSize(file->real, size);
}

static int xLock(sqlite3_file *handle, int level) {
    LedgerFile *file = (LedgerFile *)handle;
    return file->real->pMethods->xLock(file->real, level);
}

static int xUnlock(sqlite3_file *handle, int level) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = file->isWal ? flush(file) : flushWal(file);
    int unlocked = file->real->pMethods->xUnlock(file->real, level);
    return unlocked != SQLITE_OK ? unlocked : code;
}

static int xCheckReservedLock(sqlite3_file *handle, int *reserved) {
    LedgerFile *file = (LedgerFile *)handle;
    return file->real->pMethods->xCheckReservedLock(file->real, reserved);
}

static int xFileControl(sqlite3_file *handle, int op, void *argument) {
    LedgerFile *file = (LedgerFile *)handle;
    if (op == LEDGER_WAL_FCNTL_GATHER && !file->isWal) {
        file->gather = *(int *)argument != 0;
        return flushWal(file);
    }
    if (op == LEDGER_WAL_FCNTL_FAIL_NEXT_WRITE && !file->isWal) {
        if (!file->wal) return SQLITE_NOTFOUND;
        file->wal->failNextWrite = 1;
        return SQLITE_OK;
    }
    if (op == LEDGER_WAL_FCNTL_WRITES && !file->isWal) {
        sqlite3_int64 *counts = argument;
        counts[0] = file->wal ? file->wal->writesReceived : 0;
        counts[1] = file->wal ? file->wal->writesMade : 0;
        return SQLITE_OK;
    }
    // The database file's controls are hints and questions SQLite does not fail on: a failed flush before one is kept
    // for the WAL's next write or sync to report.
    if (!file->isWal) {
        (void)flushWal(file);
        return file->real->pMethods->xFileControl(file->real, op, argument);
    }
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xFileControl(file->real, op, argument);
}

static int xSectorSize(sqlite3_file *handle) {
    LedgerFile *file = (LedgerFile *)handle;
    return file->real->pMethods->xSectorSize(file->real);
}

static int xDeviceCharacteristics(sqlite3_file *handle) {
    LedgerFile *file = (LedgerFile *)handle;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int xShmMap(sqlite3_file *handle, int region, int size, int extend, void volatile **memory) {
    LedgerFile *file = (LedgerFile *)handle;
    return file->real->pMethods->xShmMap(file->real, region, size, extend, memory);
}

static int xShmLock(sqlite3_file *handle, int offset, int count, int flags) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = flushWal(file);
    if (flags & SQLITE_SHM_UNLOCK) {
        int unlocked = file->real->pMethods->xShmLock(file->real, offset, count, flags);
        // The write lock (WAL_WRITE_LOCK, slot 0) let go: the write transaction is over. One that met a failed write
        // failed with it, so what it left unwritten lies past the last commit and is never read: the WAL can be
        // written again.
        if (offset == 0 && file->wal) {
            file->wal->used = 0;
            file->wal->failed = SQLITE_OK;
        }
        return unlocked != SQLITE_OK ? unlocked : code;
    }
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void xShmBarrier(sqlite3_file *handle) {
    LedgerFile *file = (LedgerFile *)handle;
    // Before a commit is published (between the two copies of the WAL index header). With synchronous=FULL, which
    // a connection must have to ask for gathering, its sync has written everything already and this finds nothing.
    if (file->wal && file->wal->used > 0 && flush(file->wal) != SQLITE_OK) abort();
    file->real->pMethods->xShmBarrier(file->real);
}

static int xShmUnmap(sqlite3_file *handle, int deleteFlag) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = flushWal(file);
    int unmapped = file->real->pMethods->xShmUnmap(file->real, deleteFlag);
    return unmapped != SQLITE_OK ? unmapped : code;
}

static int xFetch(sqlite3_file *handle, sqlite3_int64 offset, int amount, void **pointer) {
    LedgerFile *file = (LedgerFile *)handle;
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xFetch(file->real, offset, amount, pointer);
}

static int xUnfetch(sqlite3_file *handle, sqlite3_int64 offset, void *pointer) {
    LedgerFile *file = (LedgerFile *)handle;
    return file->real->pMethods->xUnfetch(file->real, offset, pointer);
}

static const sqlite3_io_methods methods = {
    3, xClose, xRead, xWrite, xTruncate, xSync, xFileSize, xLock, xUnlock, xCheckReservedLock, xFileControl,
    xSectorSize, xDeviceCharacteristics, xShmMap, xShmLock, xShmBarrier, xShmUnmap, xFetch, xUnfetch,
};

static int xOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *handle, int flags, int *outFlags) {
    (void)vfs;
    LedgerFile *file = (LedgerFile *)handle;
    memset(file, 0, sizeof(LedgerFile) + (size_t)underlying->szOsFile);
    file->real = (sqlite3_file *)(file + 1);
    int code = underlying->xOpen(underlying, name, file->real, flags, outFlags);
    if (code != SQLITE_OK) {
        // SQLite calls xClose only when pMethods is set: close what the underlying VFS may have opened, ourselves.
        if (file->real->pMethods) file->real->pMethods->xClose(file->real);
        file->base.pMethods = NULL;
        return code;
    }
    file->base.pMethods = &methods;
    if ((flags & SQLITE_OPEN_WAL) && name) {
        file->isWal = 1;
        sqlite3_file *database = sqlite3_database_file_object(name);
        if (database && database->pMethods == &methods) {
            file->database = (LedgerFile *)database;
            file->database->wal = file;
        }
    }
    return SQLITE_OK;
}

static int xDelete(sqlite3_vfs *vfs, const char *name, int syncDir) { (void)vfs; return underlying->xDelete(underlying, name, syncDir); }
static int xAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) { (void)vfs; return underlying->xAccess(underlying, name, flags, result); }
static int xFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) { (void)vfs; return underlying->xFullPathname(underlying, name, size, out); }
static void *xDlOpen(sqlite3_vfs *vfs, const char *name) { (void)vfs; return underlying->xDlOpen(underlying, name); }
static void xDlError(sqlite3_vfs *vfs, int size, char *message) { (void)vfs; underlying->xDlError(underlying, size, message); }
static void (*xDlSym(sqlite3_vfs *vfs, void *library, const char *symbol))(void) { (void)vfs; return underlying->xDlSym(underlying, library, symbol); }
static void xDlClose(sqlite3_vfs *vfs, void *library) { (void)vfs; underlying->xDlClose(underlying, library); }
static int xRandomness(sqlite3_vfs *vfs, int size, char *out) { (void)vfs; return underlying->xRandomness(underlying, size, out); }
static int xSleep(sqlite3_vfs *vfs, int microseconds) { (void)vfs; return underlying->xSleep(underlying, microseconds); }
static int xCurrentTime(sqlite3_vfs *vfs, double *now) { (void)vfs; return underlying->xCurrentTime(underlying, now); }
static int xGetLastError(sqlite3_vfs *vfs, int size, char *message) { (void)vfs; return underlying->xGetLastError(underlying, size, message); }
static int xCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) { (void)vfs; return underlying->xCurrentTimeInt64(underlying, now); }
static int xSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) { (void)vfs; return underlying->xSetSystemCall(underlying, name, call); }
static sqlite3_syscall_ptr xGetSystemCall(sqlite3_vfs *vfs, const char *name) { (void)vfs; return underlying->xGetSystemCall(underlying, name); }
static const char *xNextSystemCall(sqlite3_vfs *vfs, const char *name) { (void)vfs; return underlying->xNextSystemCall(underlying, name); }

static sqlite3_vfs ledgerVFS = {
    3, 0, 0, NULL, LEDGER_WAL_VFS_NAME, NULL,
    xOpen, xDelete, xAccess, xFullPathname, xDlOpen, xDlError, xDlSym, xDlClose, xRandomness, xSleep, xCurrentTime,
    xGetLastError, xCurrentTimeInt64, xSetSystemCall, xGetSystemCall, xNextSystemCall,
};

int ledger_wal_register(void) {
    if (sqlite3_vfs_find(LEDGER_WAL_VFS_NAME)) return SQLITE_OK;
    sqlite3_vfs *base = sqlite3_vfs_find(NULL);
    if (!base || base == &ledgerVFS) return base ? SQLITE_OK : SQLITE_ERROR;
    // Over the unix VFS only, whose files all have the methods of version 3 that this one's claim.
    if (base->iVersion < 3 || strcmp(base->zName, "unix") != 0) return SQLITE_ERROR;
    underlying = base;
    ledgerVFS.szOsFile = (int)sizeof(LedgerFile) + base->szOsFile;
    ledgerVFS.mxPathname = base->mxPathname;
    return sqlite3_vfs_register(&ledgerVFS, 1);
}
