/* A connection of the HTTP layer, shared by http.c (its lifetime, reads, writes, dispatch)
 * and http_parse.c (llhttp's callbacks); nothing outside these two reads it. */
#ifndef SRV_HTTP_CONN_H
#define SRV_HTTP_CONN_H

#include <llhttp.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "bytebuf.h"
#include "http.h"
#include "request.h"

typedef enum {
    ST_IDLE,    /* between requests: idle timer runs */
    ST_READING, /* a request has begun: request timer runs */
    ST_BUSY,    /* request dispatched; parser paused, reads stopped */
} conn_state_t;

struct srv_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_timer_t send_timer; /* runs while responses are queued: is the output progressing? */
    llhttp_t parser;
    srv_server_t *srv;
    srv_conn_t *prev, *next;
    int refs; /* tcp handle + two timer handles + in-flight work + pending writes */
    bool closing;
    bool reading;
    conn_state_t state;
    srv_req_t *req;           /* request being parsed or served */
    sbuf_t url, field, value; /* request target, current header name / value */
    bool respond_now;         /* an error that closes the connection was decided while parsing */
    const char *exec_base;    /* the bytes llhttp is parsing now start here */
    bool tail_nl;             /* the bytes before exec_base end in LF, then SP/HT or nothing */
    bool in_trailers;         /* the header section is complete: fields now are trailers */
    sbuf_t pending;           /* bytes received after a paused message */
    uv_work_t work;           /* the request's handler on the pool (one at a time) */
    /* output: responses are queued in order; the next pipelined request is read while the
     * bytes not yet handed to the kernel stay within cfg.max_unsent_bytes */
    size_t out_writes;           /* responses queued and not yet all handed to the kernel */
    uint64_t out_queued;         /* bytes ever queued on this connection */
    uint64_t out_accepted;       /* of which the kernel had taken at the last look */
    uint64_t out_progress_ms;    /* loop time when out_accepted last grew */
    bool out_blocked;            /* over the bound: reading waits for the output to drain */
    bool resuming, resume_again; /* conn_resume runs: a nested call loops instead of recursing */
    srv_key_cache_t key_cache;   /* the key its last request presented (auth.h) */
};

srv_req_t *srv__req_new(srv_conn_t *c);
void srv__conn_unref(srv_conn_t *c);
void srv__timer_set(srv_conn_t *c, conn_state_t st);
/* llhttp's callbacks (http_parse.c): the head into request.c, the body, the message's end. */
extern const llhttp_settings_t srv__http_settings;

#endif
