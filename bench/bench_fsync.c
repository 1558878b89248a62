/* The disk's bound on durable single writes: one LMDB write transaction at a time, each
 * putting one 1 KiB record and fsync'd at commit (LMDB's default), as carematch stores one
 * record. bench/run compares concurrent single PUTs against this rate (issue #16).
 * usage: bench_fsync DIR [N]   (DIR is created; prints one JSON line) */
#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_fsync DIR [N]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 500;
    if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
        perror(argv[1]);
        return 1;
    }
    MDB_env *env;
    MDB_dbi dbi;
    MDB_txn *txn;
    char val[1024];
    memset(val, 'x', sizeof val);
    if (mdb_env_create(&env) || mdb_env_set_mapsize(env, 1ull << 30) ||
        mdb_env_open(env, argv[1], 0, 0644)) {
        fprintf(stderr, "bench_fsync: cannot open LMDB in %s\n", argv[1]);
        return 1;
    }
    if (mdb_txn_begin(env, NULL, 0, &txn) || mdb_dbi_open(txn, NULL, 0, &dbi) ||
        mdb_txn_commit(txn))
        return 1;
    double t0 = now();
    for (int i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "rec-%06d", i);
        MDB_val k = {strlen(key), key}, v = {sizeof val, val};
        if (mdb_txn_begin(env, NULL, 0, &txn) || mdb_put(txn, dbi, &k, &v, 0) ||
            mdb_txn_commit(txn)) {
            fprintf(stderr, "bench_fsync: write failed\n");
            return 1;
        }
    }
    double secs = now() - t0;
    mdb_env_close(env);
    printf("{\"txns\":%d,\"seconds\":%.3f,\"txn_per_s\":%.1f}\n", n, secs, n / secs);
    return 0;
}
