/* CSV for a French spreadsheet (Excel, LibreOffice set to French): UTF-8 with a BOM, ';' between
 * fields, CRLF line ends, fields quoted when they hold ';', '"', CR or LF (quotes doubled), and
 * numbers with a decimal comma (82,5). The tables (columns in docs/CLI.md) are written from the
 * API's JSON, so both modes of the CLI print the same rows. */
#ifndef CAREMATCH_CSV_H
#define CAREMATCH_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

typedef struct csv {
    FILE *f;
    int col;      /* fields written on the current row */
    bool started; /* BOM and header written */
} csv_t;

/* Write the BOM. */
void csv_start(csv_t *c, FILE *f);

/* One text field (NULL: empty). Text that a spreadsheet would run as a formula (starting with
 * = + - @, a tab or CR, and not a number) gets a leading apostrophe. */
void csv_str(csv_t *c, const char *s);

/* One number with a decimal comma; integers without decimals. */
void csv_num(csv_t *c, double v);

/* End the row (CRLF). */
void csv_end_row(csv_t *c);

/* A match answer ({"results":[...]}): one row per result. offers: the results are offers (for a
 * candidate); else candidates (for an offer). The header is written on the first call.
 * Returns the number of rows. */
int csv_matches(csv_t *c, const cJSON *root, bool offers);

/* A search answer ({"total","page","per_page","results":[{"offer","distance_km","score"}]}). */
int csv_search(csv_t *c, const cJSON *root);

/* A candidate search answer ({"total","page","per_page","results":[{"candidate",
 * "distance_km"}]}): one row per candidate, rank continued across pages. */
int csv_cand_search(csv_t *c, const cJSON *root);

/* One stored record (the JSON of GET or export); header on the first call. */
void csv_record(csv_t *c, const cJSON *rec, bool offer);

#endif
