// Documents by id: the writer's walk with docids, a database's identity, and a query of a
// given set of docids (a PostingSource over a sorted array). With these the engine keeps a
// docid -> record map and hands Xapian a set it computed itself (geo and filters from the
// catalog), so that Xapian answers the text alone.
#include "cmx.h"
#include "cmx_internal.h"

#include <xapian.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using Ids = std::vector<Xapian::docid>;

// A fixed, sorted set of docids, weight 0. Clones share the array.
class DocidSet : public Xapian::PostingSource {
    std::shared_ptr<const Ids> ids;
    size_t i = 0;
    bool started = false;

  public:
    explicit DocidSet(std::shared_ptr<const Ids> ids_) : ids(std::move(ids_)) {}

    void init(const Xapian::Database &) override
    {
        i = 0;
        started = false;
        set_maxweight(0.0);
    }

    // ids absent from this revision match nothing: at least none, at most all
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return (Xapian::doccount)ids->size(); }
    Xapian::doccount get_termfreq_max() const override { return (Xapian::doccount)ids->size(); }

    void next(double) override
    {
        if (started)
            i++;
        started = true;
    }

    void skip_to(Xapian::docid did, double) override
    {
        started = true;
        if (i < ids->size() && (*ids)[i] < did)
            i = (size_t)(std::lower_bound(ids->begin() + (long)i, ids->end(), did) - ids->begin());
    }

    bool at_end() const override { return i >= ids->size(); }
    Xapian::docid get_docid() const override { return (*ids)[i]; }
    double get_weight() const override { return 0.0; }
    DocidSet *clone() const override { return new DocidSet(ids); }
    std::string get_description() const override
    {
        return "cmx DocidSet(" + std::to_string(ids->size()) + ")";
    }
};

int uuid_out(const std::string &u, char out[CMX_UUID_LEN + 1])
{
    size_t n = std::min(u.size(), (size_t)CMX_UUID_LEN);
    memcpy(out, u.data(), n);
    out[n] = '\0';
    return CMX_OK;
}

} // namespace

int cmx_query_docids(const uint32_t *ids, size_t n, cmx_query **out)
{
    try {
        *out = nullptr;
        for (size_t k = 1; k < n; k++)
            if (ids[k] <= ids[k - 1])
                return CMX_EINVAL;
        auto v = std::make_shared<Ids>(ids, ids + n);
        auto *ps = new DocidSet(std::move(v));
        *out = new cmx_query{Xapian::Query(ps->release())};
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(nullptr);
    }
}

int cmx_db_doc_data(cmx_db *db, uint32_t docid, char **data, size_t *len, char **errptr)
{
    try {
        *data = nullptr;
        *len = 0;
        return cmx__copy_out(db->rep.get_document(docid).get_data(), data, len, errptr);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_wdb_each_docid(cmx_wdb *w, const char *term, cmx_docid_visit_fn fn, void *arg,
                       char **errptr)
{
    try {
        if (!term || !*term)
            return CMX_EINVAL;
        for (auto it = w->rep.postlist_begin(term); it != w->rep.postlist_end(term); ++it) {
            std::string data = w->rep.get_document(*it, Xapian::DOC_ASSUME_VALID).get_data();
            int rc = fn(arg, *it, it.get_doclength(), data.data(), data.size());
            if (rc != 0)
                return rc;
        }
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_wdb_uuid(cmx_wdb *w, char out[CMX_UUID_LEN + 1], char **errptr)
{
    try {
        return uuid_out(w->rep.get_uuid(), out);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

const char *cmx_xapian_version(void)
{
    return Xapian::version_string(); /* noexcept: a static string */
}

int cmx_db_uuid(cmx_db *db, char out[CMX_UUID_LEN + 1], char **errptr)
{
    try {
        return uuid_out(db->rep.get_uuid(), out);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}
