// The shim's handles (private to shim/): what each opaque C type of cmx.h wraps, shared by
// the shim's C++ files.
#ifndef CAREMATCH_SHIM_CMX_INTERNAL_H
#define CAREMATCH_SHIM_CMX_INTERNAL_H

#include <xapian.h>

struct cmx_wdb {
    Xapian::WritableDatabase rep;
};
struct cmx_db {
    Xapian::Database rep;
};
// The document carries the term position from one indexed field to the next (so that
// phrases never span two fields).
struct cmx_doc {
    Xapian::Document rep;
    Xapian::termpos pos = 0;
};
struct cmx_query {
    Xapian::Query rep;
};

// The single exception-to-code mapping (cmx.cc); call only from inside a catch block.
int cmx__map_exception(char **errptr) noexcept;

#endif
