/* cmx_wdb_update: a document written again with the same content has its volatile value set
 * and nothing else rewritten; any other change (a word, a word's place, a value, the data)
 * replaces it in full; a document written without a digest is replaced in full once. */
#include <stdio.h>
#include <string.h>

#include "cmx.h"
#include "test.h"

enum { SLOT_KEEP = 1, SLOT_VOLATILE = 2, SLOT_DIGEST = 7 };

/* The offer-like document: data, a filter term, positional and plain text, values. */
static cmx_doc *make(const char *title, const char *body, const char *keep, const char *version)
{
    cmx_doc *d;
    char *err = NULL;
    ASSERT_OK(cmx_doc_new(&d));
    ASSERT_OK(cmx_doc_set_data(d, "o1", 2, &err));
    ASSERT_OK(cmx_doc_add_term(d, "XTo", &err));
    ASSERT_OK(cmx_doc_index_text(d, title, strlen(title), NULL, 3, 0, &err));
    ASSERT_OK(cmx_doc_index_text(d, body, strlen(body), NULL, 1, CMX_TEXT_NO_POSITIONS, &err));
    ASSERT_OK(cmx_doc_add_value(d, SLOT_KEEP, keep, strlen(keep), &err));
    ASSERT_OK(cmx_doc_add_value(d, SLOT_VOLATILE, version, strlen(version), &err));
    return d;
}

/* Write it; returns whether it was found unchanged, checks the docid kept. */
static bool update(cmx_wdb *w, cmx_doc *d, unsigned want_docid)
{
    char *err = NULL;
    unsigned docid = 0, len = 0;
    bool unchanged = true;
    ASSERT_OK(
        cmx_wdb_update(w, "Qo1", d, SLOT_DIGEST, SLOT_VOLATILE, &docid, &len, &unchanged, &err));
    cmx_doc_free(d);
    if (want_docid)
        ASSERT_EQ(docid, want_docid);
    ASSERT(len > 0);
    return unchanged;
}

typedef struct seen {
    int n;
    char version[32];
} seen_t;

static int visit(void *arg, const char *data, size_t dlen, const char *val, size_t vlen)
{
    seen_t *s = arg;
    ASSERT(dlen == 2 && memcmp(data, "o1", 2) == 0);
    snprintf(s->version, sizeof s->version, "%.*s", (int)vlen, val);
    s->n++;
    return 0;
}

/* What a reader sees after a commit: one document, its version, and the word's count. */
static void expect(const char *path, const char *version, const char *word, uint64_t freq)
{
    cmx_db *db;
    char *err = NULL;
    seen_t s = {0};
    uint64_t f = 99;
    ASSERT_OK(cmx_db_open(path, &db, &err));
    ASSERT_OK(cmx_db_each(db, "XTo", SLOT_VOLATILE, visit, &s, &err));
    ASSERT_EQ(s.n, 1);
    ASSERT_STREQ(s.version, version);
    ASSERT_OK(cmx_db_termfreq(db, word, &f, &err));
    ASSERT_EQ(f, freq);
    cmx_db_close(db);
}

int main(void)
{
    char path[4200], *err = NULL;
    snprintf(path, sizeof path, "%s/db", cm_test_tmpdir("shim-update"));
    cmx_wdb *w;
    ASSERT_OK(cmx_wdb_open(path, CMX_WDB_NO_SYNC, &w, &err));
    const char *t = "aide soignante de nuit", *b = "EHPAD, équipe de jour et de nuit";

    /* a document written by cmx_wdb_replace has no digest: replaced in full once */
    unsigned docid = 0;
    cmx_doc *d = make(t, b, "J1501", "v1");
    ASSERT_OK(cmx_wdb_replace(w, "Qo1", d, &docid, NULL, &err));
    cmx_doc_free(d);
    ASSERT(docid > 0);
    ASSERT(!update(w, make(t, b, "J1501", "v2"), docid));
    ASSERT_OK(cmx_wdb_commit(w, &err));
    expect(path, "v2", "Zsoign", 1);

    /* the same content: only the version, committed or not yet */
    ASSERT(update(w, make(t, b, "J1501", "v3"), docid));
    ASSERT(update(w, make(t, b, "J1501", "v4"), docid));
    ASSERT_OK(cmx_wdb_commit(w, &err));
    expect(path, "v4", "Zsoign", 1);

    /* a word changed; a word's place changed; a value changed; the data changed */
    ASSERT(!update(w, make("aide soignant de jour", b, "J1501", "v5"), docid));
    ASSERT_OK(cmx_wdb_commit(w, &err));
    expect(path, "v5", "Zsoign", 1);
    ASSERT(!update(w, make("de jour aide soignant", b, "J1501", "v6"), docid));
    ASSERT(update(w, make("de jour aide soignant", b, "J1501", "v7"), docid));
    ASSERT(!update(w, make("de jour aide soignant", b, "K1302", "v8"), docid));
    d = make("de jour aide soignant", b, "K1302", "v9");
    ASSERT_OK(cmx_doc_set_data(d, "o1", 1, &err)); /* "o": other data */
    ASSERT(!update(w, d, docid));
    ASSERT(!update(w, make("de jour aide soignant", b, "K1302", "v10"), docid)); /* and back */
    ASSERT(update(w, make("de jour aide soignant", b, "K1302", "v10b"), docid));
    ASSERT(!update(w, make("de jour aide soignant", "EHPAD", "K1302", "v11"), docid));
    ASSERT_OK(cmx_wdb_commit(w, &err));
    expect(path, "v11", "Znuit", 0); /* the old body's words are gone */
    expect(path, "v11", "Zjour", 1);

    /* a document deleted: written again in full, under a new docid */
    ASSERT_OK(cmx_wdb_delete(w, "Qo1", &err));
    ASSERT(!update(w, make(t, b, "J1501", "v12"), 0));
    ASSERT_OK(cmx_wdb_commit(w, &err));
    expect(path, "v12", "Znuit", 1);
    d = make(t, b, "J1501", "v13");
    ASSERT_EQ(cmx_wdb_update(w, "", d, SLOT_DIGEST, SLOT_VOLATILE, NULL, NULL, NULL, &err),
              CMX_EINVAL);
    cmx_doc_free(d);
    cmx_free(err);
    cmx_wdb_close(w);
    printf("test_shim_update: ok\n");
    return 0;
}
