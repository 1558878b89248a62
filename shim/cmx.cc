// cmx: the C API of shim/cmx.h over Xapian's C++ API. Every extern "C" entry point is one try
// whose catch calls map_exception(), so no exception ever reaches C.
#include "cmx.h"
#include "cmx_internal.h"
#include "cmx_search.h"
#include "cmx_text.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace
{
struct hit {
    int percent;
    std::string data;
};
struct facet {
    std::vector<std::pair<std::string, uint64_t>> values;
};
} // namespace
struct cmx_mset {
    uint64_t estimated = 0;
    std::vector<hit> hits;
    std::vector<facet> facets;
};

namespace
{

int set_error(char **errptr, int code, const char *msg) noexcept
{
    if (errptr) {
        free(*errptr);
        *errptr = strdup(msg ? msg : "");
    }
    return code;
}

} // namespace

int cmx__set_error(char **errptr, int code, const char *msg) noexcept
{
    return set_error(errptr, code, msg);
}

// s copied out for C: malloc'd, NUL-terminated.
int cmx__copy_out(const std::string &s, char **out, size_t *len, char **errptr) noexcept
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        return set_error(errptr, CMX_ENOMEM, "out of memory");
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *out = p;
    *len = s.size();
    return CMX_OK;
}

bool cmx__term_ok(const char *t) noexcept
{
    if (!t)
        return false;
    size_t n = strlen(t);
    return n > 0 && n <= CMX_TERM_MAX;
}

namespace
{
// Whether a Xapian error is a full disk or quota (a write of its blocks failed with ENOSPC,
// EDQUOT or EFBIG): no damage, the files hold the last commit.
bool disk_full(const Xapian::Error &e)
{
    const char *why = e.get_error_string();
    for (int code : {ENOSPC, EDQUOT, EFBIG})
        if (why && strcmp(why, strerror(code)) == 0)
            return true;
    return e.get_msg().find(strerror(ENOSPC)) != std::string::npos;
}
} // namespace

static int map_known(char **errptr) noexcept;

// The single exception-to-code mapping; call only from inside a catch block.
int cmx__map_exception(char **errptr) noexcept
{
    try {
        try {
            throw;
        } catch (const Xapian::Error &e) {
            if (disk_full(e))
                return set_error(errptr, CMX_EFULL, e.get_description().c_str());
            throw; // to the handler below, as any other exception
        }
    } catch (...) {
        return map_known(errptr);
    }
}

// cmx__map_exception's mapping of everything but a full disk (from inside a catch block).
static int map_known(char **errptr) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return set_error(errptr, CMX_ERETRY, e.get_description().c_str());
    } catch (const Xapian::DatabaseLockError &e) {
        return set_error(errptr, CMX_EBUSY, e.get_description().c_str());
    } catch (const Xapian::QueryParserError &e) {
        return set_error(errptr, CMX_EINVAL, e.get_msg().c_str());
    } catch (const Xapian::InvalidArgumentError &e) {
        return set_error(errptr, CMX_EINVAL, e.get_description().c_str());
    } catch (const Xapian::DocNotFoundError &e) {
        // only seen when a reader is outrun by commits: the caller reopens and retries
        return set_error(errptr, CMX_ERETRY, e.get_description().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return set_error(errptr, CMX_ECORRUPT, e.get_description().c_str());
    } catch (const Xapian::DatabaseVersionError &e) {
        return set_error(errptr, CMX_ECORRUPT, e.get_description().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return set_error(errptr, CMX_EXAPIAN, e.get_description().c_str()); // absent, perms
    } catch (const Xapian::DatabaseClosedError &e) {
        return set_error(errptr, CMX_EXAPIAN, e.get_description().c_str());
    } catch (const Xapian::DatabaseError &e) {
        // "Error reading block", a short file...: damage met in the files, like corruption
        return set_error(errptr, CMX_ECORRUPT, e.get_description().c_str());
    } catch (const Xapian::Error &e) {
        return set_error(errptr, CMX_EXAPIAN, e.get_description().c_str());
    } catch (const std::bad_alloc &) {
        return set_error(errptr, CMX_ENOMEM, "out of memory");
    } catch (const search_timeout &) {
        return set_error(errptr, CMX_ETIMEDOUT, "search time limit reached");
    } catch (...) {
        // get_description() itself may have thrown bad_alloc: still no exception escapes.
        return set_error(errptr, CMX_EINTERNAL, "unexpected exception in the Xapian shim");
    }
}

namespace
{
using cmx_text::disarm_proximity;
using cmx_text::fold_french;
using cmx_text::french_stemmer;
using cmx_text::french_stopper;
using cmx_text::strip_lone_hates;

int map_exception(char **errptr) noexcept
{
    return cmx__map_exception(errptr);
}

size_t distinct_terms(const Xapian::Query &q)
{
    size_t n = 0;
    for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it)
        n++;
    return n;
}

} // namespace

extern "C" {

void cmx_free(void *p)
{
    free(p);
}

/* ---- Read-only database ---- */
int cmx_db_open(const char *path, cmx_db **out, char **errptr)
{
    try {
        *out = nullptr;
        if (!path || !*path)
            return set_error(errptr, CMX_EINVAL, "empty path");
        *out = new cmx_db{Xapian::Database(path)};
        return CMX_OK;
    } catch (...) {
        return map_exception(errptr);
    }
}

void cmx_db_close(cmx_db *db)
{
    if (!db)
        return;
    try {
        db->rep.close();
    } catch (...) {
        (void)map_exception(nullptr);
    }
    delete db;
}

int cmx_db_reopen(cmx_db *db, char **errptr)
{
    try {
        db->rep.reopen();
        return CMX_OK;
    } catch (...) {
        return map_exception(errptr);
    }
}

uint64_t cmx_db_revision(cmx_db *db)
{
    try {
        return db->rep.get_revision();
    } catch (...) {
        (void)map_exception(nullptr);
        return 0;
    }
}

int cmx_db_termfreq(cmx_db *db, const char *term, uint64_t *freq, char **errptr)
{
    try {
        *freq = 0;
        if (!cmx__term_ok(term))
            return set_error(errptr, CMX_EINVAL, "empty or over-long term");
        *freq = db->rep.get_termfreq(term);
        return CMX_OK;
    } catch (...) {
        return map_exception(errptr);
    }
}

} // extern "C"

namespace
{
// Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours)
// from the best prefix of w of kmin bytes or more to the whole of c: the stem of a misspelt
// word is unknown, so the word's tail past its own (wrong) stem costs nothing ("soigant",
// stemmed "soig", is 1 from "soign", via "soiga"), but a shorter prefix is no match ("soi"
// is not "soigant"). Stops early, returning max + 1, once no prefix can come within max.
unsigned prefix_distance(const std::string &w, size_t kmin, const char *c, size_t l, unsigned max)
{
    size_t m = w.size();
    std::vector<unsigned> prev2(l + 1), prev(l + 1), cur(l + 1);
    for (size_t j = 0; j <= l; j++)
        prev[j] = (unsigned)j;
    unsigned best = kmin == 0 ? prev[l] : max + 1;
    for (size_t i = 1; i <= m; i++) {
        cur[0] = (unsigned)i;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= l; j++) {
            unsigned cost = w[i - 1] == c[j - 1] ? 0 : 1;
            unsigned v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && w[i - 1] == c[j - 2] && w[i - 2] == c[j - 1])
                v = std::min(v, prev2[j - 2] + 1);
            cur[j] = v;
            row_min = std::min(row_min, v);
        }
        if (i >= kmin)
            best = std::min(best, cur[l]);
        if (row_min > max)
            break;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return best;
}
} // namespace

extern "C" {

int cmx_db_closest_term(cmx_db *db, const char *prefix, const char *word, size_t wlen,
                        unsigned max_edits, size_t min_len, size_t max_len, char *out, size_t cap,
                        char **errptr)
{
    try {
        if (!prefix || !word || wlen == 0 || cap == 0)
            return set_error(errptr, CMX_EINVAL, "no word");
        out[0] = '\0';
        std::string w = Xapian::Unicode::tolower(cmx_text::fold_french(word, wlen));
        if (w.empty())
            return CMX_ENOTFOUND;
        if (w.size() > 64)
            w.resize(64);
        size_t kmin = std::min(cmx_text::stem(w).size(), w.size());
        // A typo at the word's end hides its suffix from the stemmer ("soignantt" keeps its
        // nine letters where "soignant" stems to "soign"): the stems of the word without its
        // last letters, as many as the edits allowed, bound the prefix too, and the terms as
        // short as those stems are candidates.
        for (unsigned k = 1; k <= max_edits && k < w.size(); k++) {
            if ((unsigned char)w[w.size() - k] >= 0x80)
                break; // not inside a letter's bytes
            kmin = std::min(kmin, cmx_text::stem(w.substr(0, w.size() - k)).size());
        }
        min_len = std::min(min_len, kmin); // as short as that stem, no shorter ("aux")
        // and as long as the word typed, give or take the edits: "auxilière" stems to
        // "auxili", two letters short of "auxiliair"
        max_len = std::max(max_len, w.size() + max_edits);
        std::string start = std::string(prefix) + w[0]; // typos rarely hit the first letter
        size_t plen = strlen(prefix);
        unsigned best_d = max_edits + 1;
        size_t best_len = 0;
        Xapian::doccount best_freq = 0;
        std::string best;
        for (auto it = db->rep.allterms_begin(start); it != db->rep.allterms_end(start); ++it) {
            const std::string &t = *it;
            size_t l = t.size() - plen;
            if (l < min_len || l > max_len)
                continue;
            unsigned d = prefix_distance(w, kmin, t.data() + plen, l, max_edits);
            if (d > max_edits)
                continue;
            Xapian::doccount f = it.get_termfreq();
            if (d < best_d || (d == best_d && (l > best_len || (l == best_len && f > best_freq)))) {
                best_d = d;
                best_len = l;
                best_freq = f;
                best = t;
            }
        }
        if (best.empty())
            return CMX_ENOTFOUND;
        if (best.size() >= cap)
            return set_error(errptr, CMX_EINVAL, "term longer than the buffer");
        memcpy(out, best.c_str(), best.size() + 1);
        return CMX_OK;
    } catch (...) {
        return map_exception(errptr);
    }
}

int cmx_db_each(cmx_db *db, const char *term, unsigned slot, cmx_doc_visit_fn fn, void *arg,
                char **errptr)
{
    try {
        if (!cmx__term_ok(term))
            return set_error(errptr, CMX_EINVAL, "empty or over-long term");
        for (auto it = db->rep.postlist_begin(term); it != db->rep.postlist_end(term); ++it) {
            Xapian::Document doc = db->rep.get_document(*it);
            std::string data = doc.get_data();
            std::string val = doc.get_value(slot);
            int rc = fn(arg, data.c_str(), data.size(), val.c_str(), val.size());
            if (rc != 0)
                return rc;
        }
        return CMX_OK;
    } catch (...) {
        return map_exception(errptr);
    }
}

/* ---- Queries ---- */
int cmx_query_parse(const char *text, size_t len, unsigned flags, unsigned max_terms,
                    cmx_query **out, char **errptr)
{
    try {
        *out = nullptr;
        std::string folded = fold_french(text ? text : "", text ? len : 0);
        bool op_and = (flags & CMX_PARSE_AND) != 0;
        Xapian::Query q;
        {
            Xapian::QueryParser qp;
            qp.set_stemmer(french_stemmer());
            qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
            qp.set_stopper(french_stopper());
            qp.set_default_op(op_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
            // FLAG_DEFAULT without wildcards or partial matching (which expand against the
            // database and could blow up), plus pure NOT so that "NOT nuit" is not an error.
            // No positions: descriptions and the fields' words are indexed without them, so a
            // phrase ("week-end", "temps partiel" in quotes) found only titles; its words, all
            // of them, are what it asks for.
            unsigned qflags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                              Xapian::QueryParser::FLAG_LOVEHATE |
                              Xapian::QueryParser::FLAG_PURE_NOT |
                              Xapian::QueryParser::FLAG_NO_POSITIONS;
            disarm_proximity(folded);
            std::string hated = folded;
            if (strip_lone_hates(hated)) {
                qp.set_default_op(Xapian::Query::OP_OR); /* without any of them */
                Xapian::Query h = qp.parse_query(hated, qflags);
                if (!h.empty())
                    q = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(std::string()), h);
            }
            if (q.empty())
                q = qp.parse_query(folded, qflags);
            if (distinct_terms(q) > max_terms)
                return set_error(errptr, CMX_EINVAL, "query has too many terms");
        }
        *out = new cmx_query{q};
        return CMX_OK;
    } catch (...) {
        return map_exception(errptr);
    }
}

int cmx_query_all(cmx_query **out)
{
    try {
        // Not Xapian::Query::MatchAll: that is one static object whose reference count
        // (not atomic in Xapian 1.4) every copy touches, so pool threads copying it at once
        // corrupt it (segfaults in Enquire::set_query under concurrent searches). An empty
        // term is the same query with a private internal.
        *out = new cmx_query{Xapian::Query(std::string())};
        return CMX_OK;
    } catch (...) {
        *out = nullptr;
        return map_exception(nullptr);
    }
}

int cmx_query_term(const char *term, cmx_query **out)
{
    try {
        *out = nullptr;
        if (!cmx__term_ok(term))
            return CMX_EINVAL;
        *out = new cmx_query{Xapian::Query(term)};
        return CMX_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

int cmx_query_terms_or(const char *const *terms, size_t n, cmx_query **out)
{
    try {
        *out = nullptr;
        std::vector<Xapian::Query> subs;
        subs.reserve(n);
        for (size_t i = 0; i < n; i++) {
            if (!cmx__term_ok(terms[i]))
                return CMX_EINVAL;
            subs.emplace_back(terms[i]);
        }
        *out = new cmx_query{Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end())};
        return CMX_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

int cmx_query_combine(int op, const cmx_query *a, const cmx_query *b, cmx_query **out)
{
    try {
        *out = nullptr;
        Xapian::Query::op xop;
        switch (op) {
        case CMX_OP_AND:
            xop = Xapian::Query::OP_AND;
            break;
        case CMX_OP_OR:
            xop = Xapian::Query::OP_OR;
            break;
        case CMX_OP_AND_NOT:
            xop = Xapian::Query::OP_AND_NOT;
            break;
        case CMX_OP_FILTER:
            xop = Xapian::Query::OP_FILTER;
            break;
        default:
            return CMX_EINVAL;
        }
        *out = new cmx_query{Xapian::Query(xop, a->rep, b->rep)};
        return CMX_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

int cmx_query_geo(unsigned slot, double lat, double lon, double radius_m, cmx_query **out)
{
    try {
        *out = nullptr;
        if (!(radius_m > 0) || !std::isfinite(radius_m))
            return CMX_EINVAL;
        Xapian::GreatCircleMetric metric(CMX_EARTH_RADIUS_M);
        // The source copies the metric; Query owns the source once released.
        (void)metric;
        auto *ps =
            new GeoSource(slot, Xapian::LatLongCoords(Xapian::LatLongCoord(lat, lon)), radius_m);
        *out = new cmx_query{Xapian::Query(ps->release())};
        return CMX_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

void cmx_query_free(cmx_query *q)
{
    delete q;
}

/* ---- Searching ---- */
int cmx_db_search(cmx_db *db, const cmx_search_t *s, cmx_mset **out, char **errptr)
{
    try {
        *out = nullptr;
        if (!s || !s->query || s->n_spies > CMX_SPIES_MAX)
            return set_error(errptr, CMX_EINVAL, "bad search arguments");
        Xapian::Enquire enq(db->rep);
        enq.set_query(s->query->rep);
        switch (s->sort) {
        case CMX_SORT_RELEVANCE:
            if (s->sort_value)
                enq.set_sort_by_relevance_then_key(
                    (new CallbackKey(s->sort_value, s->sort_value_ctx))->release(), true);
            else
                enq.set_sort_by_relevance_then_value(s->sort_slot, true);
            break;
        case CMX_SORT_VALUE:
            if (s->sort_value)
                enq.set_sort_by_key_then_relevance(
                    (new CallbackKey(s->sort_value, s->sort_value_ctx))->release(), true);
            else
                enq.set_sort_by_value_then_relevance(s->sort_slot, true);
            break;
        case CMX_SORT_DISTANCE: {
            Xapian::GreatCircleMetric metric(CMX_EARTH_RADIUS_M);
            auto *km = new Xapian::LatLongDistanceKeyMaker(
                s->sort_slot, Xapian::LatLongCoords(Xapian::LatLongCoord(s->lat, s->lon)), metric);
            enq.set_sort_by_key_then_relevance(km->release(), false);
            break;
        }
        default:
            return set_error(errptr, CMX_EINVAL, "bad sort");
        }
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        for (size_t k = 0; k < s->n_spies; k++) {
            spies.emplace_back(new Xapian::ValueCountMatchSpy(s->spy_slots[k]));
            enq.add_matchspy(spies.back().get());
        }
        unsigned check = std::max(s->check_at_least, s->offset + s->limit);
        DeadlineDecider decider(s->accept, s->accept_ctx);
        Xapian::MSet ms;
        if (s->time_limit_s > 0) {
            // counting stops at half the limit (totals become estimates), the match at it
            enq.set_time_limit(s->time_limit_s / 2);
            clock_gettime(CLOCK_MONOTONIC, &deadline);
            double whole = std::floor(s->time_limit_s);
            deadline.tv_sec += (time_t)whole;
            deadline.tv_nsec += (long)((s->time_limit_s - whole) * 1e9);
            if (deadline.tv_nsec >= 1000000000L) {
                deadline.tv_sec++;
                deadline.tv_nsec -= 1000000000L;
            }
            deadline_set = true;
            try {
                ms = enq.get_mset(s->offset, s->limit, check, nullptr, &decider);
            } catch (...) {
                deadline_set = false;
                throw;
            }
            deadline_set = false;
        } else if (s->accept) {
            ms = enq.get_mset(s->offset, s->limit, check, nullptr, &decider);
        } else {
            ms = enq.get_mset(s->offset, s->limit, check);
        }

        std::unique_ptr<cmx_mset> m(new cmx_mset);
        m->estimated = ms.get_matches_estimated();
        m->hits.reserve(ms.size());
        /* 100 x the weight over the best of the whole match (any page), with Xapian's rounding:
         * its own get_percent() is the best document's share of the query's leaves, which
         * synonyms and filters make meaningless (12 for the best "ehpad") */
        double top = ms.get_max_attained(), factor = top > 0 ? 100.0 / top : 0;
        for (auto it = ms.begin(); it != ms.end(); ++it) {
            Xapian::Document doc = it.get_document();
            hit h;
            double wt = it.get_weight();
            int p = factor == 0 ? 100 : (int)(wt * factor + 100.0 * DBL_EPSILON);
            h.percent = p > 100 ? 100 : p < 0 ? 0 : (p == 0 && wt > 0) ? 1 : p;
            h.data = doc.get_data();
            m->hits.push_back(std::move(h));
        }
        for (auto &spy : spies) {
            facet f;
            // the spy counts the documents checked: past check_at_least, fewer than match.
            // Its counts are then scaled to the estimated total, as the total is estimated
            // (a probe: 10,000 of 12,000, and other counts on a farther page)
            Xapian::doccount seen = spy->get_total();
            double scale = seen > 0 && m->estimated > seen ? (double)m->estimated / seen : 1.0;
            for (auto v = spy->values_begin(); v != spy->values_end(); ++v)
                f.values.emplace_back(*v, scale == 1.0 ? (uint64_t)v.get_termfreq()
                                                       : (uint64_t)std::llround(
                                                             v.get_termfreq() * scale));
            std::sort(f.values.begin(), f.values.end(), [](const auto &a, const auto &b) {
                return a.second != b.second ? a.second > b.second : a.first < b.first;
            });
            m->facets.push_back(std::move(f));
        }
        *out = m.release();
        return CMX_OK;
    } catch (...) {
        return map_exception(errptr);
    }
}

void cmx_mset_free(cmx_mset *m)
{
    delete m;
}

size_t cmx_mset_size(const cmx_mset *m)
{
    return m->hits.size();
}

uint64_t cmx_mset_matches_estimated(const cmx_mset *m)
{
    return m->estimated;
}

int cmx_mset_percent(const cmx_mset *m, size_t i)
{
    return m->hits[i].percent;
}

const char *cmx_mset_data(const cmx_mset *m, size_t i, size_t *len)
{
    *len = m->hits[i].data.size();
    return m->hits[i].data.c_str();
}

size_t cmx_mset_facet_size(const cmx_mset *m, size_t k)
{
    return k < m->facets.size() ? m->facets[k].values.size() : 0;
}

const char *cmx_mset_facet(const cmx_mset *m, size_t k, size_t j, size_t *len, uint64_t *count)
{
    const auto &v = m->facets[k].values[j];
    *len = v.first.size();
    *count = v.second;
    return v.first.c_str();
}

} // extern "C"
