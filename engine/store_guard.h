/* Guards of the LMDB storage (engine/store_guard.c), for store.c only: the data file's size
 * against its pages at open, the "held records" marker, and the checksummed frame of every
 * stored record value. */
#ifndef CAREMATCH_STORE_GUARD_H
#define CAREMATCH_STORE_GUARD_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"

/* Written in the storage directory once it holds a committed change: storage that then opens
 * with no change at all (data.mdb emptied or replaced) is refused, not served as empty. */
#define HELD_MARKER "held-records"

/* CM_ECORRUPT (with a message saying what to do) when the data file is shorter than the last
 * page its meta page says is in use: mapped past its end, the first read there is a SIGBUS.
 * Call right after mdb_env_open, before any page is read through the map. */
int cm__sg_check_file_size(MDB_env *env, const char *path, cm_error *err);
/* With the marker at `marker` and the storage's last change: CM_ECORRUPT when storage that
 * held records opens with none; creates the marker (when `writable`) for storage that holds
 * some. *held says whether the marker exists. */
int cm__sg_check_held(const char *marker, uint64_t last_seq, bool writable, bool *held,
                      cm_error *err);
/* Create the marker file and sync it and its directory. 0 or CM_EIO (errno set). */
int cm__sg_write_marker(const char *marker);
/* fsync a file or a directory by path. 0 or -1 (errno). */
int cm__sg_fsync_path(const char *path);

/* Zero the free pages of env in freelist records up to *upto (store.h: cm__store_scrub). */
int cm__sg_scrub(MDB_env *env, uint64_t *upto, bool drain, bool *covered);
/* The filler a scrub's fill left when the process died before its drop, emptied (in txn, a
 * write transaction: the store's open). An LMDB code. */
int cm__sg_clear_fill(MDB_txn *txn);
/* Before an erasure (store.h: cm__store_prepare_erasure): zero LMDB's recycled page buffers,
 * then rewrite the last page path of each of the n databases. */
int cm__sg_prepare_erasure(MDB_env *env, const MDB_dbi *dbis, int n);

/* Record values are stored framed: FRAME_MAGIC, CRC-32C (little-endian) of the record, the
 * record as the codec encoded it. A codec record starts with its format number (1, 2, 3...),
 * never FRAME_MAGIC: values written before frames existed are read as they are. */
#define CM__FRAME_MAGIC 0xC5
#define CM__FRAME_HDR 5
uint32_t cm__crc32c(const uint8_t *p, size_t n);
/* The CRC of what crc covered followed by p[0..n): cm__crc32c_more(cm__crc32c(a), b) is the
 * CRC of a then b (start from 0). */
uint32_t cm__crc32c_more(uint32_t crc, const uint8_t *p, size_t n);
/* The same as cm__crc32c without the CPU's instruction (tests compare the two). */
uint32_t cm__crc32c_portable(const uint8_t *p, size_t n);
/* Write the frame of rec (len bytes) into dst (len + CM__FRAME_HDR bytes). */
void cm__frame_write(uint8_t *dst, const uint8_t *rec, size_t len);
/* The record inside a stored value; CM_ECORRUPT when its checksum fails (a changed byte). */
int cm__frame_open(const void *val, size_t vlen, const uint8_t **rec, size_t *len);

#endif
