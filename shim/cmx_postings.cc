// Postings read outside Xapian's matcher (cmx_db_termfreqs, cmx_db_postings): the within-document
// frequencies of a query's words among a sorted set of docids, for the engine's own ranking
// (engine/ textrank.c).
//
// A common word ("aide": 181,000 of 250,000 offers) is read again by every search that has it,
// block by block through pread, though the index has not changed in between. So the postings
// of words held by MIN_FREQ documents or more are kept decoded, per database
// revision, once a second search asked for them at a revision 250 ms old or more (under a
// stream of writes the revision moves every few milliseconds: decoding a whole word for a
// handful of searches would cost more than it saves).
// The cache is shared by every reader, bounded by bytes, least recently used out first.
#include "cmx.h"
#include "cmx_internal.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace
{

constexpr uint64_t MIN_FREQ = 4096; // rarer words are read directly
constexpr long STABLE_MS = 250;     // a revision this old is worth decoding words for
uint64_t min_freq = MIN_FREQ;       // cmx_postings_cache_tune (tests)
long stable_ms = STABLE_MS;

struct Postings {
    std::vector<uint32_t> did, wdf;
};

class PostingsCache
{
  public:
    static constexpr size_t BUDGET = 48u << 20; // bytes of postings kept
    static constexpr size_t MAX_WORDS = 4096;   // words tracked per database

    // The postings of term at revision rev of database uuid: kept ones, or nullptr with
    // *build set when the caller should decode them and put() them: the second request at a
    // revision that has lasted stable_ms (under a stream of writes, commits every few
    // milliseconds, nothing is decoded: each revision would be read a handful of times).
    std::shared_ptr<const Postings> get(const std::string &uuid, unsigned long rev,
                                        const std::string &term, bool *build)
    {
        std::lock_guard<std::mutex> g(mu);
        *build = false;
        auto now = std::chrono::steady_clock::now();
        Db &db = dbs[uuid];
        if (rev > db.rev || db.since == std::chrono::steady_clock::time_point()) {
            drop_words(db); // a new revision: the kept postings may be out of date
            db.rev = rev;
            db.since = now;
        }
        if (rev < db.rev)
            return nullptr; // a reader not yet reopened: it reads the index
        auto it = db.words.find(term);
        if (it == db.words.end()) {
            if (db.words.size() < MAX_WORDS)
                db.words.emplace(term, Word{nullptr, ++tick, 1});
            return nullptr;
        }
        Word &w = it->second;
        w.used = ++tick;
        w.asked++;
        if (!w.p)
            *build = w.asked >= 2 &&
                     now - db.since >=
                         std::chrono::milliseconds(__atomic_load_n(&stable_ms, __ATOMIC_RELAXED));
        return w.p;
    }

    void put(const std::string &uuid, unsigned long rev, const std::string &term,
             std::shared_ptr<const Postings> p)
    {
        std::lock_guard<std::mutex> g(mu);
        size_t b = size_of(*p);
        if (b > BUDGET / 4)
            return; // one word may not take the whole cache
        while (bytes + b > BUDGET && evict_one())
            ;
        auto d = dbs.find(uuid);
        if (d == dbs.end() || d->second.rev != rev)
            return; // a newer revision came meanwhile
        auto it = d->second.words.find(term);
        if (it == d->second.words.end() || it->second.p)
            return;
        it->second.p = std::move(p);
        bytes += b;
    }

  private:
    struct Word {
        std::shared_ptr<const Postings> p;
        uint64_t used;
        unsigned asked;
    };
    struct Db {
        unsigned long rev = 0;
        std::chrono::steady_clock::time_point since;
        std::unordered_map<std::string, Word> words;
    };
    std::mutex mu;
    std::unordered_map<std::string, Db> dbs;
    size_t bytes = 0;
    uint64_t tick = 0;

    static size_t size_of(const Postings &p)
    {
        return (p.did.size() + p.wdf.size()) * sizeof(uint32_t);
    }

    void drop_words(Db &db)
    {
        for (auto &w : db.words)
            if (w.second.p)
                bytes -= size_of(*w.second.p);
        db.words.clear();
    }

    // Drop the least recently used kept postings (a linear pass: a few thousand at most).
    bool evict_one()
    {
        Word *victim = nullptr;
        for (auto &d : dbs)
            for (auto &w : d.second.words)
                if (w.second.p && (!victim || w.second.used < victim->used))
                    victim = &w.second;
        if (!victim)
            return false;
        bytes -= size_of(*victim->p);
        victim->p.reset();
        victim->asked = 0;
        return true;
    }
};

PostingsCache cache;

// Every posting of term, decoded.
std::shared_ptr<const Postings> decode(const Xapian::Database &db, const std::string &term,
                                       uint64_t tf)
{
    auto p = std::make_shared<Postings>();
    p->did.reserve(tf);
    p->wdf.reserve(tf);
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        p->did.push_back(*it);
        p->wdf.push_back(it.get_wdf());
    }
    return p;
}

// The first index at or after `from` whose id is >= d (a gallop, then a binary search).
size_t gallop(const uint32_t *ids, size_t n, size_t from, uint32_t d)
{
    size_t step = 1, lo = from;
    while (lo + step < n && ids[lo + step] < d) {
        lo += step;
        step *= 2;
    }
    return (size_t)(std::lower_bound(ids + lo, ids + std::min(n, lo + step + 1), d) - ids);
}

// w[i] = the wdf of ids[i] in the decoded postings (both sorted).
void from_decoded(const Postings &p, const uint32_t *ids, size_t n, uint32_t *w)
{
    const uint32_t *d = p.did.data();
    size_t m = p.did.size(), j = 0;
    for (size_t i = 0; i < n && j < m;) {
        if (d[j] < ids[i]) {
            j = gallop(d, m, j, ids[i]);
        } else if (d[j] > ids[i]) {
            i = gallop(ids, n, i, d[j]);
        } else {
            w[i++] = p.wdf[j++];
        }
    }
}

// w[i] = the wdf of ids[i], read from the index: skip_to the next id of the set; a posting
// past it moves the set on.
void from_index(const Xapian::Database &db, const char *term, const uint32_t *ids, size_t n,
                uint32_t *w)
{
    Xapian::PostingIterator p = db.postlist_begin(term);
    const Xapian::PostingIterator end = db.postlist_end(term);
    for (size_t i = 0; i < n;) {
        p.skip_to(ids[i]);
        if (p == end)
            break;
        Xapian::docid d = *p;
        if (d == ids[i])
            w[i++] = p.get_wdf();
        else
            i = gallop(ids, n, i, d);
    }
}

} // namespace

int cmx_db_termfreqs(cmx_db *db, const char *const *terms, size_t n_terms, uint64_t *termfreq,
                     cmx_stats_t *st, char **errptr)
{
    try {
        st->doccount = db->rep.get_doccount();
        st->total_length = db->rep.get_total_length();
        for (size_t t = 0; t < n_terms; t++) {
            if (!cmx__term_ok(terms[t]))
                return CMX_EINVAL;
            termfreq[t] = db->rep.get_termfreq(terms[t]);
        }
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_db_postings(cmx_db *db, const char *const *terms, const uint64_t *termfreq, size_t n_terms,
                    const uint32_t *ids, size_t n, uint32_t *wdf, char **errptr)
{
    try {
        std::string uuid; // the cache's key: this revision of this database
        unsigned long rev = 0;
        for (size_t t = 0; t < n_terms; t++) {
            if (!cmx__term_ok(terms[t]))
                return CMX_EINVAL;
            uint32_t *w = wdf + t * n;
            memset(w, 0, n * sizeof *w);
            if (termfreq[t] == 0 || n == 0)
                continue;
            if (termfreq[t] < __atomic_load_n(&min_freq, __ATOMIC_RELAXED)) {
                from_index(db->rep, terms[t], ids, n, w);
                continue;
            }
            if (uuid.empty()) {
                uuid = db->rep.get_uuid();
                rev = db->rep.get_revision();
            }
            bool build;
            std::shared_ptr<const Postings> p = cache.get(uuid, rev, terms[t], &build);
            if (!p && build) {
                p = decode(db->rep, terms[t], termfreq[t]);
                cache.put(uuid, rev, terms[t], p);
            }
            if (p)
                from_decoded(*p, ids, n, w);
            else
                from_index(db->rep, terms[t], ids, n, w);
        }
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

void cmx_postings_cache_tune(uint64_t freq, long stable)
{
    __atomic_store_n(&min_freq, freq ? freq : MIN_FREQ, __ATOMIC_RELAXED);
    __atomic_store_n(&stable_ms, stable >= 0 ? stable : STABLE_MS, __ATOMIC_RELAXED);
}
