/* What both modes of the carematch CLI share (over a data directory, cli.c; over HTTP,
 * cli_http.c): exit codes, errors in the API's shape, the import progress line. */
#ifndef CAREMATCH_CLI_COMMON_H
#define CAREMATCH_CLI_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "carematch/error.h"

/* Exit codes (documented in `carematch --help` and docs/CLI.md). */
enum {
    CLI_OK = 0,        /* done */
    CLI_PARTIAL = 1,   /* done, but not everything: import lines rejected; get/match: not found */
    CLI_USAGE = 2,     /* bad arguments, or the request refused as invalid (400, 405, 409, 413,
                        * 415, 422), or a command the chosen mode cannot do */
    CLI_UNREACHABLE = 3, /* cannot reach the server, open the data directory or an input file */
    CLI_AUTH = 4,      /* 401 (no or unknown key) or 403 (scope too low) */
    CLI_FAILED = 5     /* the server or storage failed: 5xx, 429 after retries, a malformed
                        * answer, an import stopped by a storage error */
};

/* The exit code for an HTTP status (2xx: CLI_OK). */
int cli_exit_for_status(int status);

/* The exit code for an engine error (data-directory mode). */
int cli_exit_for_rc(int rc);

/* The API's error code for an engine error, as carematchd answers it (not_found,
 * invalid_field, missing_field, conflict, payload_too_large, unavailable, internal). */
const char *cli_api_code(int rc, const char *field);

/* Print {"error":{"code","message","field"?}} on stderr, one line. field may be NULL. */
void cli_print_error(const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same for an engine error: code from cli_api_code, message from err or cm_strerror,
 * prefixed with `what` (may be NULL). */
void cli_print_rc(int rc, const cm_error *err, const char *what);

/* One rejected import line on stderr: {"file","line","error":{"code","message","field"?}},
 * the shape of a bulk answer's errors[] with the file named. */
void cli_print_reject(const char *file, unsigned long line, const char *code, const char *field,
                      const char *message);

/* A progress line on stderr, drawn only when stderr is a terminal, at most 4 times a second:
 * "import: 120,000 read, 119,950 accepted, 50 rejected, 31,200 records/s". */
typedef struct cli_progress {
    bool on;
    bool drawn;
    double t0, last;
} cli_progress_t;

void cli_progress_start(cli_progress_t *p);
void cli_progress_update(cli_progress_t *p, unsigned long read, unsigned long accepted,
                         unsigned long rejected);
/* Replace the line with a message (a terminal only), e.g. while the index catches up. */
void cli_progress_note(cli_progress_t *p, const char *message);
/* Erase the line (the summary goes to stdout afterwards). */
void cli_progress_end(cli_progress_t *p);

/* Take "--format json|csv" out of argv (anywhere among a command's arguments); *csv says
 * which. Returns 0, or -1 after printing an error for another value. */
int cli_take_format(int *argc, char **argv, bool *csv);

double cli_now(void);

/* What an import file holds, for `import` without --kind: 1 offers, 0 candidates, -1 cannot
 * tell. Its first record decides (an offer's title, employer or schedule; a candidate's
 * desired codes, mobility or availability), else the file's own name ("cand", "offer",
 * "offre"; not the directories'). Only a regular file's record is read (a pipe's would be
 * lost to the import); "-" (stdin) is never told. */
int cli_guess_kind(const char *path);

#endif
