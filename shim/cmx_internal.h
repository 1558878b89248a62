// The shim's handles (private to shim/): what each opaque C type of cmx.h wraps, shared by
// the shim's C++ files.
#ifndef CAREMATCH_SHIM_CMX_INTERNAL_H
#define CAREMATCH_SHIM_CMX_INTERNAL_H

#include <xapian.h>

#include <string>

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

// A message and a code for C (cmx.cc): *errptr, when given, malloc'd. Returns code.
int cmx__set_error(char **errptr, int code, const char *msg) noexcept;

// A term Xapian takes: 1 to CMX_TERM_MAX bytes (cmx.cc).
bool cmx__term_ok(const char *t) noexcept;

// s copied out for C (cmx.cc): *out malloc'd and NUL-terminated, *len its length.
// Errors: CMX_ENOMEM (with a message in *errptr).
int cmx__copy_out(const std::string &s, char **out, size_t *len, char **errptr) noexcept;

#endif
