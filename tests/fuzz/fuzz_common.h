/*
 * tests/fuzz/fuzz_common.h -- shared pieces of the AFL++ harnesses.
 *
 * Each harness is one program that reads the file AFL passes (@@, argv[1])
 * with one of the engine's real readers, frees what it read and exits 0
 * whatever the reader said: a bad file is a normal outcome, only a crash,
 * a sanitizer report or a hang is a finding.  Messages go nowhere (the
 * fuzzer runs millions of them).
 */
#ifndef ZS_TESTS_FUZZ_COMMON_H
#define ZS_TESTS_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "models/status.h"

/* Checks argc (need: arguments after the program name), silences stdout
 * and stderr unless ZS_FUZZ_VERBOSE is set (then the reader's message is
 * printed by fuzz_done, for triage).  Exits 2 with a usage line when
 * arguments are missing. */
static inline void fuzz_start(int argc, char **argv, int need, const char *usage)
{
    if (argc < need + 1) {
        fprintf(stderr, "usage: %s %s\n", argv[0], usage);
        exit(2);
    }
    if (!getenv("ZS_FUZZ_VERBOSE")) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            exit(1);
    }
}

/* With ZS_FUZZ_VERBOSE: prints the reader's outcome.  Returns 0 (the
 * harness's exit status: a refused file is not a finding). */
static inline int fuzz_done(zs_status st, const zs_err *err)
{
    if (getenv("ZS_FUZZ_VERBOSE"))
        fprintf(stderr, "%s\n", st == ZS_OK ? "read OK" : err->msg);
    return 0;
}

#endif
