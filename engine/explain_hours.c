/* Her availability and the offer's hours outside it, as the schedule's sentences say them.
 * Part of explain.c's sentences (explain_internal.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain_internal.h"
#include "score.h"
#include "week.h"

/* Her availability as a sentence says it: the days when not every day ("sam.-dim.",
 * "lun., mer., ven."), then the hours ("07:00-12:00 et 16:30-20:30"; "+" more ranges). An
 * adviser's probe: "(07:00-21:00)" read as every day for a weekend-only student, and a second
 * window hidden behind "+". */
void cm__avail_text(const cm__cand_fields_t *c, bool fr, char *out, size_t cap)
{
    static const char *const ab_fr[7] = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."};
    static const char *const ab_en[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    const char *const *ab = fr ? ab_fr : ab_en;
    unsigned d = c->avail_days & 0x7fu;
    size_t n = 0;
    if (strcmp(c->avail_desc, "any time") == 0) {
        snprintf(out, cap, "%s", fr ? "à tout moment" : "any time");
        return;
    }
    out[0] = '\0';
    if (d && d != 0x7fu) {
        int first = __builtin_ctz(d), last = 31 - __builtin_clz(d);
        bool run = d == ((1u << (last + 1)) - (1u << first));
        if (run && last > first)
            n += (size_t)snprintf(out + n, cap - n, "%s-%s ", ab[first], ab[last]);
        else
            for (int k = 0; k < 7 && n < cap; k++)
                if (d & (1u << k))
                    n += (size_t)snprintf(out + n, cap - n, "%s%s", ab[k],
                                          (d >> (k + 1)) ? ", " : " ");
    }
    for (const char *p = c->avail_desc; *p && n + 8 < cap; p++) {
        if (*p == ',')
            n += (size_t)snprintf(out + n, cap - n, fr ? " et " : " and ");
        else if (*p == '+')
            n += (size_t)snprintf(out + n, cap - n, fr ? " et d'autres" : " and more");
        else
            out[n++] = *p, out[n] = '\0';
    }
}

/* The offer's hours outside her availability on the days `days` ("13:00-16:00"), when they
 * are the same on each of those days (an adviser's probe: the coverage sentence did not say
 * which); "" otherwise. Half-hours, as the week holds them, but to the minute at her
 * window's or the job's own edges. */
void cm__outside_text(const cm__cand_fields_t *c, const cm__offer_fields_t *o, unsigned days,
                      char *out, size_t cap)
{
    uint64_t x = 0;
    out[0] = '\0';
    for (int d = 0; d < 7; d++) {
        if (!(days & (1u << d)))
            continue;
        uint64_t xd = cm__week_day(&o->week, d) & ~cm__week_day(&c->week, d);
        if (!xd || (x && xd != x))
            return;
        x = xd;
    }
    size_t n = 0;
    for (int s = 0; s < CM__WEEK_SLOTS_PER_DAY && n + 16 < cap;) {
        if (!((x >> s) & 1)) {
            s++;
            continue;
        }
        int e = s;
        while (e < CM__WEEK_SLOTS_PER_DAY && ((x >> e) & 1))
            e++;
        /* to the minute where her window or the job's has an edge inside a half-hour (an
         * adviser's probe: free from 08:45, told "07:00-08:30" for a 07:00 start) */
        int a = s * 30, z = e * 30;
        if (c->avail_to > c->avail_from) {
            z = abs(z - c->avail_from) < 30 ? c->avail_from : z;
            a = abs(a - c->avail_to) < 30 ? c->avail_to : a;
        }
        if (o->shift_to > o->shift_from) {
            a = abs(a - o->shift_from) < 30 ? o->shift_from : a;
            z = abs(z - o->shift_to) < 30 ? o->shift_to : z;
        }
        if (z <= a) { /* what the edges leave is no range */
            a = s * 30;
            z = e * 30;
        }
        n += (size_t)snprintf(out + n, cap - n, "%s%02d:%02d-%02d:%02d", n ? ", " : "", a / 60,
                              a % 60, z / 60 % 24, z % 60);
        s = e;
    }
}
