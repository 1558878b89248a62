/* Latency of the portal's suggestion boxes (job titles and communes), single thread, on the
 * compiled-in referentials: p50/p99/max per call over a fixed query list, each query typed
 * one character at a time as a person would. Usage: bench_suggest [rounds] [-v]
 * (-v prints the top 5 of each full query instead of timing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carematch/referential.h"

static const char *jobs[] = {"aide soignante", "infirmiere", "auxiliaire de puer", "AES", "AVS",
                             "ASH", "AMP", "IDE", "TISF", "ADVF", "auxiliaire de vie",
                             "agent de service hospitalier", "educatrice specialisee",
                             "assistante maternelle", "aide a domicile", "cuisinier",
                             "conducteur de bus", "developpeur", "de", "a"};
static const char *places[] = {"saint-den", "9320", "paris 11", "lyon", "marseille 13",
                               "ajaccio", "st etienne", "75", "6030", "aix en p"};

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp_d);
    printf("%-8s calls %6zu  p50 %6.1f us  p99 %6.1f us  max %7.1f us\n", what, n, t[n / 2],
           t[n * 99 / 100], t[n - 1]);
}

/* Time fn on every prefix of every query, `rounds` times. */
static void run(const char *what, const char **qs, size_t nq, int rounds, int jobs_box)
{
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < nq; i++)
        cap += strlen(qs[i]);
    double *t = malloc(cap * (size_t)rounds * sizeof *t);
    cm_rome_suggestion_t s[10];
    cm_commune_t c[10];
    char buf[128];
    if (!t)
        return;
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < nq; i++)
            for (size_t l = 1; l <= strlen(qs[i]) && l < sizeof buf; l++) {
                memcpy(buf, qs[i], l);
                buf[l] = '\0';
                double t0 = now_us();
                if (jobs_box)
                    cm_rome_suggest(buf, s, 10);
                else
                    cm_commune_suggest(buf, c, 10);
                t[n++] = now_us() - t0;
            }
    report(what, t, n);
    free(t);
}

int main(int argc, char **argv)
{
    int rounds = 20, verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else
            rounds = atoi(argv[i]) > 0 ? atoi(argv[i]) : rounds;
    }
    double t0 = now_us();
    cm_rome_title_t t;
    cm_rome_title_by_label("x", &t); /* builds the job-title index alone */
    printf("job-title index build %.1f ms\n", (now_us() - t0) / 1e3);
    t0 = now_us();
    if (cm_ref_init() != 0) {
        fprintf(stderr, "cm_ref_init failed\n");
        return 1;
    }
    printf("commune index build %.1f ms\n", (now_us() - t0) / 1e3);
    if (verbose) {
        cm_rome_suggestion_t s[5];
        cm_commune_t c[5];
        for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
            size_t n = cm_rome_suggest(jobs[i], s, 5);
            printf("%s\n", jobs[i]);
            for (size_t k = 0; k < n; k++)
                printf("   %s %-7u %s  [%s]\n", s[k].title.rome, s[k].title.ogr,
                       s[k].title.label, s[k].title.rome_label);
        }
        for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
            size_t n = cm_commune_suggest(places[i], c, 5);
            printf("%s\n", places[i]);
            for (size_t k = 0; k < n; k++)
                printf("   %s %s %s (%s) %.4f,%.4f\n", c[k].insee, c[k].postcode, c[k].name,
                       c[k].dep, c[k].lat, c[k].lon);
        }
        return 0;
    }
    run("jobs", jobs, sizeof jobs / sizeof jobs[0], rounds, 1);
    run("communes", places, sizeof places / sizeof places[0], rounds, 0);
    return 0;
}
