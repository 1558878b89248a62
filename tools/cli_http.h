/* The carematch CLI against a running carematchd over HTTP (--url / CAREMATCH_URL): get, match,
 * search, import (bulk, in chunks), suggest. Output is the API's JSON, or CSV (csv.h). */
#ifndef CAREMATCH_CLI_HTTP_H
#define CAREMATCH_CLI_HTTP_H

/* Run argv[0] (the command) with its arguments against url, sending key (may be NULL).
 * Returns an exit code of cli_common.h. */
int cli_http_main(const char *url, const char *key, int argc, char **argv);

/* The API key from a file: its first line, surrounding blanks removed. Returns a malloc'd
 * string (free it), or NULL after printing an error. */
char *cli_read_key_file(const char *path);

#endif
