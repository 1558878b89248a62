// The search time limit of the shim (private to shim/): a per-thread deadline that cmx_db_search
// sets around get_mset, and the two places that check it while Xapian matches: a match
// decider (every document considered) and the geo posting source (which also refuses a
// damaged value stream instead of spinning on it).
#ifndef CAREMATCH_SHIM_CMX_SEARCH_H
#define CAREMATCH_SHIM_CMX_SEARCH_H

#include <xapian.h>

#include <ctime>
#include <string>

#include "cmx.h"

namespace
{

// Thrown past a search's deadline (caught by map_exception in cmx.cc).
struct search_timeout {
};

// ---- Search time limit ----
// The deadline of the search running on this thread (cmx_db_search sets it around get_mset):
// the geo source and the match decider below check it, and throw search_timeout past it.
// Xapian's own Enquire::set_time_limit only stops exact counting, not the match.
inline thread_local bool deadline_set = false;
inline thread_local struct timespec deadline;

inline void check_deadline()
{
    if (!deadline_set)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > deadline.tv_sec ||
        (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
        throw search_timeout();
}

// Every document the match considers passes here: a cheap counter, the clock every 256, and
// the caller's accept callback (cmx_search_t) when it gave one.
class DeadlineDecider : public Xapian::MatchDecider
{
    mutable unsigned n = 0;
    int (*accept)(void *, unsigned);
    void *ctx;

  public:
    DeadlineDecider(int (*accept_)(void *, unsigned), void *ctx_) : accept(accept_), ctx(ctx_)
    {
    }

    bool operator()(const Xapian::Document &doc) const override
    {
        if ((++n & 255) == 0)
            check_deadline();
        return !accept || accept(ctx, doc.get_docid()) != 0;
    }
};

// A sort key from the caller's callback (cmx_search_t.sort_value): the bytes
// cmx_doc_add_value_number would have stored, without reading the value stream.
class CallbackKey : public Xapian::KeyMaker
{
    double (*fn)(void *, unsigned, int *);
    void *ctx;

  public:
    CallbackKey(double (*fn_)(void *, unsigned, int *), void *ctx_) : fn(fn_), ctx(ctx_)
    {
    }

    std::string operator()(const Xapian::Document &doc) const override
    {
        int has = 0;
        double v = fn(ctx, doc.get_docid(), &has);
        return has ? Xapian::sortable_serialise(v) : std::string();
    }
};

// Documents whose point in `slot` lies within max_range metres of the centre: what
// Xapian::LatLongDistancePostingSource does as a filter, with its scanning loop under our
// control: it checks the deadline as it goes, and a value stream whose docids stop
// increasing (a damaged index) is reported as corrupt instead of spinning.
class GeoSource : public Xapian::ValuePostingSource
{
    Xapian::LatLongCoords centre;
    Xapian::GreatCircleMetric metric;
    double max_range;
    unsigned steps = 0;

    bool within() const
    {
        return metric(centre, get_value()) <= max_range;
    }

    void step(Xapian::docid before)
    {
        if ((++steps & 63) == 0)
            check_deadline();
        if (!at_end() && get_docid() <= before)
            throw Xapian::DatabaseCorruptError("value stream docids do not increase");
    }

  public:
    GeoSource(Xapian::valueno slot_, const Xapian::LatLongCoords &c, double range)
        : ValuePostingSource(slot_), centre(c), metric(CMX_EARTH_RADIUS_M), max_range(range)
    {
    }

    void next(double min_wt) override
    {
        do {
            Xapian::docid before = get_started() && !at_end() ? get_docid() : 0;
            ValuePostingSource::next(min_wt);
            step(before);
        } while (!at_end() && !within());
    }

    void skip_to(Xapian::docid did, double min_wt) override
    {
        Xapian::docid before = get_started() && !at_end() ? get_docid() : 0;
        ValuePostingSource::skip_to(did, min_wt);
        step(before ? before - 1 : 0); // skip_to may stay on the current document
        if (!at_end() && !within())
            next(min_wt);
    }

    bool check(Xapian::docid did, double min_wt) override
    {
        check_deadline();
        if (!ValuePostingSource::check(did, min_wt))
            return false;
        if (at_end())
            return true;
        if (!within())
            return false; // positioned on a document that does not match: "not valid"
        return true;
    }

    double get_weight() const override
    {
        return 0.0;
    }

    GeoSource *clone() const override
    {
        return new GeoSource(get_slot(), centre, max_range);
    }

    void init(const Xapian::Database &db_) override
    {
        ValuePostingSource::init(db_);
        steps = 0;
        set_termfreq_min(0); // the range cuts an unknown share of the documents with a value
        set_termfreq_est(get_termfreq_max() / 2);
    }

    std::string get_description() const override
    {
        return "cmx GeoSource";
    }
};

} // namespace

#endif
