// cmx documents (cmx.h): the terms, words, values and data of a document being built for the
// writable database. Each entry point is one try whose catch maps the exception (cmx.cc).
#include "cmx.h"
#include "cmx_internal.h"
#include "cmx_text.h"

#include <xapian.h>

#include <string>

/* ---- Documents ---- */
int cmx_doc_new(cmx_doc **out)
{
    try {
        *out = new cmx_doc;
        return CMX_OK;
    } catch (...) {
        *out = nullptr;
        return cmx__map_exception(nullptr);
    }
}

void cmx_doc_free(cmx_doc *d)
{
    delete d; // Document's destructor does not throw
}

int cmx_doc_add_term(cmx_doc *d, const char *term, char **errptr)
{
    try {
        if (!cmx__term_ok(term))
            return cmx__set_error(errptr, CMX_EINVAL, "empty or over-long term");
        d->rep.add_boolean_term(term);
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

namespace
{
struct index_ctx {
    cmx_doc *d;
    std::string term;
    size_t prefix_len;
    unsigned weight;
    bool positions;
};
int index_word(void *arg, size_t, size_t, const std::string &folded)
{
    auto *c = static_cast<index_ctx *>(arg);
    c->term.resize(c->prefix_len);
    c->term += cmx_text::stem(folded);
    if (c->term.size() > CMX_TERM_MAX)
        return 0;
    if (c->positions)
        c->d->rep.add_posting(c->term, ++c->d->pos, c->weight);
    else
        c->d->rep.add_term(c->term, c->weight);
    return 0;
}
} // namespace

// Words as cmx_text::each_word cuts them and stems them, the very path plain-word queries
// take (a TermGenerator splits some words differently: "a_b", "C++").
int cmx_doc_index_text(cmx_doc *d, const char *text, size_t len, const char *prefix,
                       unsigned weight, unsigned flags, char **errptr)
{
    try {
        if (!text || len == 0)
            return CMX_OK;
        index_ctx c = {d, "Z" + std::string(prefix ? prefix : ""), 0, weight < 1 ? 1 : weight,
                       (flags & CMX_TEXT_NO_POSITIONS) == 0};
        c.prefix_len = c.term.size();
        if (d->pos > 0)
            d->pos += 100; // a gap between fields, as TermGenerator::increase_termpos
        return cmx_text::each_word(text, len, index_word, &c);
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_doc_add_value(cmx_doc *d, unsigned slot, const void *val, size_t len, char **errptr)
{
    try {
        d->rep.add_value(slot, std::string(static_cast<const char *>(val), len));
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_doc_add_value_number(cmx_doc *d, unsigned slot, double v, char **errptr)
{
    try {
        d->rep.add_value(slot, Xapian::sortable_serialise(v));
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_doc_add_value_latlon(cmx_doc *d, unsigned slot, double lat, double lon, char **errptr)
{
    try {
        // LatLongCoord throws InvalidArgumentError on out-of-range input: mapped to EINVAL.
        Xapian::LatLongCoords coords(Xapian::LatLongCoord(lat, lon));
        d->rep.add_value(slot, coords.serialise());
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}

int cmx_doc_set_data(cmx_doc *d, const void *data, size_t len, char **errptr)
{
    try {
        d->rep.set_data(std::string(static_cast<const char *>(data), len));
        return CMX_OK;
    } catch (...) {
        return cmx__map_exception(errptr);
    }
}
