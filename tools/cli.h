/* What the carematch tool's files share (cli.c: commands and main; cli_import.c: import,
 * France Travail included). */
#ifndef CAREMATCH_TOOLS_CLI_H
#define CAREMATCH_TOOLS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "carematch/engine.h"
#include "cli_common.h" /* cli_now, exit codes, errors in the API's shape */

/* index documents per commit during import. The import does not wait for the index writer
 * (it indexes behind the parsing and storing), so the writer's own speed bounds offers:
 * 60,000 offers took 12.6 s at 1,000 a commit, 16.0 s at 20,000 (Xapian's in-memory changes,
 * sorted maps, cost more per document as they grow); 500 was no faster. */
#define IMPORT_INDEX_BATCH_DOCS 1000

void cli_usage(FILE *f);
/* Open the data directory, saying why not on stderr. `bulk` (import): index on the engine's
 * writer thread, in large batches, so that indexing overlaps parsing and storage writes. */
int cli_open_engine_opts(const char *dir, bool read_only, bool bulk, cm_engine_t **e);
/* carematch import ... */
int cmd_import(const char *dir, int argc, char **argv);
/* Events or the audit log as NDJSON on stdout (cli_history.c). Returns a CM_E* code. */
int cli_export_history(cm_engine_t *e, bool audit);
/* carematch import --kind events|audit FILE...: returns an exit code (cli_common.h). */
int cli_import_history(const char *dir, bool audit, int argc, char **argv);

#endif
