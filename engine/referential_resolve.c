/* A job title as people write it (cm_rome_title_resolve): an OGR code, a label or a gender
 * form, an acronym, or whole words of the first title suggested. Part of the referential
 * (referential.c holds the titles and their suggestion index). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"
#include "carematch/referential.h"

/* Whether every word of the normalised query q is a word of the normalised label (or, for a
 * word ending in s or x, that word without it). */
static bool whole_words(const char *q, const char *label)
{
    char l[512];
    size_t ll = cm_ref_normalise(label, l, sizeof l);
    for (const char *w = q; *w;) {
        size_t n = strcspn(w, " ");
        bool found = false;
        for (size_t cut = 0; cut < 2 && !found; cut++) {
            size_t m = n - cut;
            if (cut && (n < 4 || (w[n - 1] != 's' && w[n - 1] != 'x')))
                break;
            for (const char *p = l; !found && p < l + ll;) {
                size_t k = strcspn(p, " ");
                found = k == m && memcmp(p, w, m) == 0;
                p += k + (p[k] == ' ');
            }
        }
        if (!found)
            return false;
        w += n + (w[n] == ' ');
    }
    return true;
}

int cm_rome_title_resolve(const char *text, cm_rome_title_t *out)
{
    if (!text)
        return CM_EINVAL;
    size_t digits = strspn(text, "0123456789");
    if (digits && digits == strlen(text))
        return digits <= 9 ? cm_rome_title_by_ogr((uint32_t)strtoul(text, NULL, 10), out)
                           : CM_ENOTFOUND;
    int rc = cm_rome_title_by_label(text, out);
    if (rc != CM_ENOTFOUND)
        return rc;
    cm_rome_suggestion_t sg;
    char q[CM_SUGGEST_QUERY_MAX + 1];
    if (cm_rome_suggest(text, &sg, 1) == 0 || cm_ref_normalise(text, q, sizeof q) == 0)
        return CM_ENOTFOUND;
    if (sg.match != CM_SUGGEST_PREFIX || whole_words(q, sg.title.label)) {
        if (out)
            *out = sg.title;
        return 0;
    }
    return CM_ENOTFOUND;
}
