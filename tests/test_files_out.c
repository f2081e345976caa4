/*
 * tests/test_files_out.c -- one output, one writer (engine/input/files_out.c):
 * the output lock against another process (a forked child), claims counted
 * within one process, temporary names unique per process and call, stale
 * temporaries of dead writers removed, write errors in the user's words,
 * the writability check, and zs_file_write_atomic keeping an existing file
 * until a complete new one replaces it.
 */
#define _DEFAULT_SOURCE /* usleep */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "input/files.h"
#include "models/alloc.h"
#include "check.h"

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* Runs zs_file_claim_output(path) in a child process: 0 claimed, 2 refused
 * as "being written by another zonesim (pid <holder>)" (0: this process),
 * 1 otherwise. */
static int claim_in_child_of(const char *path, pid_t holder)
{
    pid_t parent = holder ? holder : getpid();
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        zs_err err;
        zs_status st = zs_file_claim_output(path, &err);
        char want[64];
        snprintf(want, sizeof want, "being written by another zonesim (pid %ld)", (long)parent);
        _exit(st == ZS_OK ? 0 : st == ZS_EINPUT && strstr(err.msg, want) ? 2 : 1);
    }
    int status = 0;
    waitpid(c, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int claim_in_child(const char *path)
{
    return claim_in_child_of(path, 0);
}

static zs_status write_hello(FILE *f, const void *ctx, zs_err *err)
{
    (void)err;
    fputs((const char *)ctx, f);
    return ZS_OK;
}

static zs_status write_fails(FILE *f, const void *ctx, zs_err *err)
{
    (void)ctx;
    fputs("half", f);
    return zs_err_set(err, ZS_EINPUT, "the writer gave up");
}

static char *slurp(const char *p)
{
    static char buf[256];
    FILE *f = fopen(p, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

int main(void)
{
    char dir[] = "/tmp/zs_test_files_out_XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL: mkdtemp\n");
        return 1;
    }
    char out[256], lock[300], tmpa[400];
    snprintf(out, sizeof out, "%s/r.h5", dir);
    snprintf(lock, sizeof lock, "%s.lock", out);
    zs_err err;

    /* ---- names ---- */
    char *t1 = zs_file_tmp_name(out, &err), *t2 = zs_file_tmp_name(out, &err);
    char pre[300];
    snprintf(pre, sizeof pre, "%s.%ld.", out, (long)getpid());
    CHECK(t1 && t2 && strcmp(t1, t2) != 0, "tmp_name: two calls give two names (%s, %s)", t1, t2);
    CHECK(t1 && !strncmp(t1, pre, strlen(pre)) && zs_file_is_tmp_name(t1),
          "tmp_name: PATH.<pid>.<n>.tmp");
    CHECK(zs_file_is_tmp_of("r.h5.123.4.tmp", "r.h5") && zs_file_is_tmp_of("r.h5.1.1.tmp", "r.h5"),
          "is_tmp_of: r.h5.PID.N.tmp is a temporary of r.h5");
    CHECK(!zs_file_is_tmp_of("r.h5.tmp", "r.h5") && !zs_file_is_tmp_of("r.h5.x.4.tmp", "r.h5") &&
              !zs_file_is_tmp_of("r.h5.1.4.tmp.bak", "r.h5") &&
              !zs_file_is_tmp_of("rr.h5.1.4.tmp", "r.h5") && !zs_file_is_tmp_of("r.h5", "r.h5"),
          "is_tmp_of: nothing else is (the user's r.h5.tmp, other names)");
    CHECK(zs_file_is_tmp_name("x.h5.tmp") && !zs_file_is_tmp_name("x.h5") && !zs_file_is_tmp_name(".tmp"),
          "is_tmp_name: names ending in .tmp");
    zs_free(t1);
    zs_free(t2);

    /* ---- errors in the user's words ---- */
    CHECK(!strcmp(zs_file_errno_text(ENOSPC), "disk full (No space left on device)"),
          "errno_text: ENOSPC is 'disk full'");
    CHECK(strstr(zs_file_errno_text(EROFS), "read-only") && strstr(zs_file_errno_text(EACCES), "permission") &&
              strstr(zs_file_errno_text(EDQUOT), "quota") && zs_file_errno_text(EBADF) == NULL,
          "errno_text: EROFS, EACCES, EDQUOT each their own; others NULL");
    CHECK(zs_file_write_error(&err, ENOSPC, out, "/sim/x") == ZS_EIO &&
              strstr(err.msg, "r.h5: disk full (No space left on device) while writing /sim/x"),
          "write_error: 'PATH: disk full (...) while writing WHAT' (%s)", err.msg);

    /* ---- the lock ---- */
    CHECK(zs_file_claim_output(out, &err) == ZS_OK && exists(lock), "claim: PATH.lock is made");
    CHECK(!strcmp(slurp(lock) ? slurp(lock) : "", (snprintf(tmpa, sizeof tmpa, "%ld\n", (long)getpid()), tmpa)),
          "claim: the lock file holds our pid");
    CHECK(claim_in_child(out) == 2, "claim: another process is refused, naming our pid");
    CHECK(zs_file_claim_output(out, &err) == ZS_OK, "claim: the same process may claim again");
    zs_file_release_output(out);
    CHECK(exists(lock) && claim_in_child(out) == 2, "release: one of two claims keeps the lock");
    zs_file_release_output(out);
    CHECK(!exists(lock), "release: the last one removes PATH.lock");
    CHECK(claim_in_child(out) == 0, "claim: free again for another process");

    /* A lock left by a killed process is no lock: flock dies with it. */
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        zs_err e2;
        if (zs_file_claim_output(out, &e2) != ZS_OK)
            _exit(1);
        pause(); /* killed below */
        _exit(0);
    }
    for (int i = 0; i < 200 && !exists(lock); i++)
        usleep(10000);
    usleep(20000);
    CHECK(claim_in_child_of(out, c) == 2, "claim: refused while a live process holds it, naming it");
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    /* Its temporaries, as a killed writer leaves them. */
    char stale[300], user[300];
    snprintf(stale, sizeof stale, "%s.%ld.7.tmp", out, (long)c);
    snprintf(user, sizeof user, "%s/r.h5.keep", dir);
    FILE *f = fopen(stale, "w");
    if (f)
        fclose(f);
    f = fopen(user, "w");
    if (f)
        fclose(f);
    CHECK(exists(lock), "a killed writer leaves its lock file");
    CHECK(zs_file_claim_output(out, &err) == ZS_OK, "claim: a dead writer's lock file is taken over");
    CHECK(!exists(stale) && exists(user), "claim: removes the dead writer's temporary, nothing else");
    zs_file_release_output(out);

    /* ---- writability ---- */
    CHECK(zs_file_check_writable(out, &err) == ZS_OK && !zs_t_tmp_left(out),
          "check_writable: a writable folder passes and keeps nothing");
    char nodir[300];
    snprintf(nodir, sizeof nodir, "%s/none/r.h5", dir);
    CHECK(zs_file_check_writable(nodir, &err) == ZS_EINPUT && strstr(err.msg, "cannot write there"),
          "check_writable: a missing folder is ZS_EINPUT (%s)", err.msg);
    CHECK(zs_file_prepare_output(out, &err) == ZS_OK && claim_in_child(out) == 2,
          "prepare_output: claims the output for the rest of the process");
    zs_file_release_output(out);

    /* ---- write_atomic ---- */
    char txt[300];
    snprintf(txt, sizeof txt, "%s/a.txt", dir);
    CHECK(zs_file_write_atomic(txt, write_hello, "one\n", ZS_EIO, &err) == ZS_OK &&
              !strcmp(slurp(txt), "one\n") && !zs_t_tmp_left(txt),
          "write_atomic: written, no temporary left");
    CHECK(zs_file_write_atomic(txt, write_fails, NULL, ZS_EIO, &err) == ZS_EINPUT &&
              !strcmp(slurp(txt), "one\n") && !zs_t_tmp_left(txt),
          "write_atomic: a failed write keeps the existing file, removes its temporary");
    snprintf(tmpa, sizeof tmpa, "%s.lock", txt);
    CHECK(!exists(tmpa), "write_atomic: its lock is gone afterwards");
    CHECK(zs_file_claim_output(txt, &err) == ZS_OK, "claim a.txt here");
    fflush(stdout);
    c = fork();
    if (c == 0) {
        zs_err e2;
        zs_status st = zs_file_write_atomic(txt, write_hello, "two\n", ZS_EIO, &e2);
        _exit(st == ZS_EINPUT && strstr(e2.msg, "being written by another zonesim") ? 0 : 1);
    }
    int status = 1;
    waitpid(c, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && !strcmp(slurp(txt), "one\n"),
          "write_atomic: another process is refused while we hold the output, the file unchanged");
    CHECK(zs_file_write_atomic(txt, write_hello, "three\n", ZS_EIO, &err) == ZS_OK &&
              !strcmp(slurp(txt), "three\n"),
          "write_atomic: the holder itself writes");
    zs_file_release_output(txt);
    zs_file_test_fail_tmp(txt);
    CHECK(zs_file_write_atomic(txt, write_hello, "four\n", ZS_EIO, &err) == ZS_EIO &&
              !strcmp(slurp(txt), "three\n") && !zs_t_tmp_left(txt),
          "write_atomic: a temporary that cannot be made leaves the file as it was (%s)", err.msg);
    zs_file_test_fail_tmp(NULL);

    remove(txt);
    remove(user);
    rmdir(dir);
    printf("%d passed, %d failed\n", zs_t_pass, zs_t_fail);
    return zs_t_fail != 0;
}
