// The index writer's database (a WritableDatabase): open, commit, metadata, and documents
// replaced by their id term, updated in place when only their version moved (a digest of the
// rest), deleted. Moved out of cmx.cc (one room per job); the same C API (cmx.h).
#include "cmx.h"
#include "cmx_internal.h"

#include <xapian.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {

/* ---- Writable database ---- */
int cmx_wdb_open(const char *path, unsigned flags, cmx_wdb **out, char **errptr)
{
    try {
        *out = nullptr;
        if (!path || !*path)
            return cmx__set_error(errptr, CMX_EINVAL, "empty path");
        int xf = Xapian::DB_CREATE_OR_OPEN;
        if (flags & CMX_WDB_NO_SYNC)
            xf |= Xapian::DB_NO_SYNC;
        *out = new cmx_wdb{Xapian::WritableDatabase(path, xf)};
        return CMX_OK;
    } catch (const Xapian::DatabaseOpeningError &e) {
        // DB_CREATE_OR_OPEN makes a database where there is none: a file missing here is one
        // of the database's own (iamglass, a table) gone from its directory, i.e. damage;
        // other opening errors (permissions) stay what they are
        const char *why = e.get_error_string();
        if (why && strcmp(why, strerror(ENOENT)) == 0)
            return cmx__set_error(errptr, CMX_ECORRUPT, e.get_description().c_str());
        return cmx__map_exception(errptr);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

void cmx_wdb_close(cmx_wdb *w)
{
    if (!w)
        return;
    try {
        w->rep.close(); // Xapian commits pending changes here
    } catch (...) {
        (void)cmx__map_exception(nullptr);
    }
    delete w;
}

int cmx_wdb_commit(cmx_wdb *w, char **errptr)
{
    try {
        w->rep.commit();
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_wdb_set_metadata(cmx_wdb *w, const char *key, const void *val, size_t len, char **errptr)
{
    try {
        if (!key || !*key)
            return cmx__set_error(errptr, CMX_EINVAL, "empty metadata key");
        w->rep.set_metadata(key, std::string(static_cast<const char *>(val), len));
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_wdb_get_metadata(cmx_wdb *w, const char *key, char **val, size_t *len, char **errptr)
{
    try {
        *val = nullptr;
        *len = 0;
        if (!key || !*key)
            return cmx__set_error(errptr, CMX_EINVAL, "empty metadata key");
        return cmx__copy_out(w->rep.get_metadata(key), val, len, errptr);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

// A document's length as the database keeps it (BM25 reads it): the sum of its terms' wdf.
static Xapian::termcount doc_length(const Xapian::Document &d)
{
    Xapian::termcount len = 0;
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t)
        len += t.get_wdf();
    return len;
}

int cmx_wdb_replace(cmx_wdb *w, const char *idterm, cmx_doc *d, unsigned *docid, unsigned *doclen,
                    char **errptr)
{
    try {
        if (!cmx__term_ok(idterm))
            return cmx__set_error(errptr, CMX_EINVAL, "empty or over-long id term");
        d->rep.add_boolean_term(idterm);
        Xapian::docid did = w->rep.replace_document(idterm, d->rep);
        if (docid)
            *docid = did;
        if (doclen)
            *doclen = doc_length(d->rep);
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

// A document's content as 8 bytes (64-bit FNV-1a): its terms with their wdf and positions,
// its values but those of `skip1` and `skip2`, its data; every string with its length.
static std::string doc_digest(const Xapian::Document &d, unsigned skip1, unsigned skip2)
{
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void *p, size_t n) {
        const unsigned char *b = static_cast<const unsigned char *>(p);
        for (size_t i = 0; i < n; i++)
            h = (h ^ b[i]) * 1099511628211ull;
    };
    auto mix_str = [&](const std::string &v) {
        uint64_t n = v.size();
        mix(&n, sizeof n);
        mix(v.data(), v.size());
    };
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
        mix_str(*t);
        Xapian::termcount wdf = t.get_wdf();
        mix(&wdf, sizeof wdf);
        Xapian::termcount np = t.positionlist_count();
        mix(&np, sizeof np);
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
            Xapian::termpos pos = *p;
            mix(&pos, sizeof pos);
        }
    }
    for (auto v = d.values_begin(); v != d.values_end(); ++v) {
        Xapian::valueno slot = v.get_valueno();
        if (slot == skip1 || slot == skip2)
            continue;
        mix(&slot, sizeof slot);
        mix_str(*v);
    }
    mix_str(d.get_data());
    unsigned char out[8];
    for (int i = 0; i < 8; i++)
        out[i] = static_cast<unsigned char>(h >> (8 * i));
    return std::string(reinterpret_cast<const char *>(out), sizeof out);
}

int cmx_doc_seal(cmx_doc *d, const char *idterm, unsigned digest_slot, unsigned volatile_slot,
                 unsigned *doclen, char **errptr)
{
    try {
        if (!cmx__term_ok(idterm))
            return cmx__set_error(errptr, CMX_EINVAL, "empty or over-long id term");
        d->rep.add_boolean_term(idterm);
        d->rep.add_value(digest_slot, doc_digest(d->rep, digest_slot, volatile_slot));
        if (doclen)
            *doclen = doc_length(d->rep);
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_wdb_put_sealed(cmx_wdb *w, const char *idterm, cmx_doc *d, unsigned digest_slot,
                       unsigned volatile_slot, unsigned *docid, bool *unchanged, char **errptr)
{
    try {
        if (!cmx__term_ok(idterm))
            return cmx__set_error(errptr, CMX_EINVAL, "empty or over-long id term");
        if (unchanged)
            *unchanged = false;
        // The one document the id term names, when its content is the same: only the volatile
        // value is set, on the document read from this database (Xapian then rewrites its
        // values alone, not its terms, positions and postings).
        Xapian::PostingIterator p = w->rep.postlist_begin(idterm),
                                end = w->rep.postlist_end(idterm);
        if (p != end) {
            Xapian::docid did = *p;
            if (++p == end) {
                Xapian::Document old = w->rep.get_document(did);
                if (old.get_value(digest_slot) == d->rep.get_value(digest_slot)) {
                    old.add_value(volatile_slot, d->rep.get_value(volatile_slot));
                    w->rep.replace_document(did, old);
                    if (docid)
                        *docid = did;
                    if (unchanged)
                        *unchanged = true;
                    return CMX_OK;
                }
            }
        }
        Xapian::docid did = w->rep.replace_document(idterm, d->rep);
        if (docid)
            *docid = did;
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_wdb_update(cmx_wdb *w, const char *idterm, cmx_doc *d, unsigned digest_slot,
                   unsigned volatile_slot, unsigned *docid, unsigned *doclen, bool *unchanged,
                   char **errptr)
{
    int rc = cmx_doc_seal(d, idterm, digest_slot, volatile_slot, doclen, errptr);
    return rc ? rc
              : cmx_wdb_put_sealed(w, idterm, d, digest_slot, volatile_slot, docid, unchanged,
                                   errptr);
}

int cmx_wdb_delete(cmx_wdb *w, const char *term, char **errptr)
{
    try {
        if (!cmx__term_ok(term))
            return cmx__set_error(errptr, CMX_EINVAL, "empty or over-long term");
        w->rep.delete_document(term);
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_wdb_delete_all(cmx_wdb *w, char **errptr)
{
    try {
        // Collect first: deleting while walking the posting list would invalidate it.
        std::vector<Xapian::docid> ids;
        for (auto it = w->rep.postlist_begin(""); it != w->rep.postlist_end(""); ++it)
            ids.push_back(*it);
        for (Xapian::docid id : ids)
            w->rep.delete_document(id);
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

} // extern "C"
