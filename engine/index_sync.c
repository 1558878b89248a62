/* When the search index's commits are on disk (index.h: cm__isync_*).
 *
 * The index is derived from LMDB, which alone makes writes durable. So its commits skip
 * Xapian's fsyncs (a 250,000-offer index: 10 ms a commit with them, under 4 with none, and a
 * PUT of an offer waits for one). A process that dies loses nothing by it: its writes are in
 * the kernel's page cache, which the next process reads. What the kernel had not yet written
 * is lost only if the system itself stops (crash, power): then a commit can be half on disk,
 * and Xapian does not notice at open (issue #18: damage met later, at a search or an update).
 *
 * So a file beside Xapian's says which boot of the system last wrote the index, and whether
 * its files were synced since (a clean close fsyncs every file, then says "synced"). At open,
 * an index last written under another boot and not synced may be torn: it is rebuilt from
 * storage. Without a boot id (no /proc), commits are synced as before.
 *
 *   carematch-sync: "carematch-index-sync 1 boot=<boot id> state=<open|synced|torn>\n"
 * ("torn": judged so at an open; stays until a rebuild replaces the index, whose own file
 * says "open" or "synced").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"

#define SYNC_FILE "carematch-sync"
#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"
#define BOOT_ID_MAX 64

static bool boot_id(char out[BOOT_ID_MAX])
{
    FILE *f = fopen(BOOT_ID_PATH, "r");
    if (!f)
        return false;
    bool ok = fgets(out, BOOT_ID_MAX, f) != NULL;
    fclose(f);
    if (!ok)
        return false;
    out[strcspn(out, "\n ")] = '\0';
    return out[0] != '\0';
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return CM_EIO;
    int rc = fsync(fd) == 0 ? 0 : CM_EIO;
    close(fd);
    return rc;
}

static int write_state(const char *dir, const char *boot, const char *state)
{
    char path[4200], tmp[4210], line[BOOT_ID_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, SYNC_FILE);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int n = snprintf(line, sizeof line, "carematch-index-sync 1 boot=%s state=%s\n", boot, state);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return CM_EIO;
    bool ok = write(fd, line, (size_t)n) == n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0 || fsync_dir(dir) != 0) {
        (void)unlink(tmp);
        return CM_EIO;
    }
    return 0;
}

int cm__isync_check(const char *dir, bool *torn, bool *nosync)
{
    char boot[BOOT_ID_MAX], path[4200], line[256], was[BOOT_ID_MAX] = "", state[16] = "";
    *torn = false;
    *nosync = false;
    if (!boot_id(boot))
        return 0; /* cannot tell a restart: keep Xapian's own fsyncs */
    snprintf(path, sizeof path, "%s/%s", dir, SYNC_FILE);
    FILE *f = fopen(path, "r");
    if (f) {
        /* %63[^ ] and %15[a-z]: bounded by the buffers above */
        if (!fgets(line, sizeof line, f) ||
            sscanf(line, "carematch-index-sync 1 boot=%63[^ ] state=%15[a-z]", was, state) != 2)
            *torn = true; /* unreadable: as if torn (a rebuild is always safe) */
        fclose(f);
        if (!*torn)
            *torn = strcmp(state, "torn") == 0 ||
                    (strcmp(was, boot) != 0 && strcmp(state, "synced") != 0);
    } else if (errno != ENOENT) {
        return CM_EIO;
    }
    /* An absent file: a new index, or one of a version that synced every commit. Said "open"
     * before the first commit without fsync; if that cannot be written, commits keep Xapian's
     * fsyncs and the index is as usable. A torn index is said "torn", whatever the boot, until
     * a rebuild replaces the directory (with its own file): "open" under this boot let a
     * restart after a killed rebuild trust it (a fault probe). */
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return CM_EIO;
    *nosync = write_state(dir, boot, *torn ? "torn" : "open") == 0;
    return 0;
}

/* fsync every file of the index directory (Xapian's tables and version file), then it. */
static int sync_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return CM_EIO;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, SYNC_FILE) == 0)
            continue;
        int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
            continue; /* gone meanwhile (a temporary of Xapian's) */
        struct stat sb;
        if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && fsync(fd) != 0)
            rc = CM_EIO;
        close(fd);
    }
    closedir(d);
    return rc ? rc : fsync_dir(dir);
}

void cm__isync_closed(const char *dir)
{
    char boot[BOOT_ID_MAX];
    if (boot_id(boot) && sync_files(dir) == 0)
        (void)write_state(dir, boot, "synced"); /* else "open" stays: a restart rebuilds */
}
