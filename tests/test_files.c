/* Tests of engine/input/files: directories refused as inputs and outputs,
 * an output naming an input refused by inode (same path, symlink, hard
 * link), a new output accepted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/files.h"
#include "check.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int main(void)
{
    char dir[] = "/tmp/zs_test_files_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return zs_test_done();
    }
    char in[256], other[256], sym[256], hard[256], fresh[256];
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(other, sizeof other, "%s/other.csv", dir);
    snprintf(sym, sizeof sym, "%s/sym.csv", dir);
    snprintf(hard, sizeof hard, "%s/hard.csv", dir);
    snprintf(fresh, sizeof fresh, "%s/new.csv", dir);
    write_file(in, "id,x,y\n");
    write_file(other, "id,x,y\n"); /* same bytes, another file */
    CHECK(symlink("in.csv", sym) == 0, "symlink made");
    CHECK(link(in, hard) == 0, "hard link made");

    zs_err err;
    const zs_file_input ins[] = {{NULL, "absent"}, {"", "empty"}, {in, "SC's points.file"}};
    CHECK(zs_file_check_clobber(fresh, ins, 3, &err) == ZS_OK, "a new output is no clash");
    CHECK(zs_file_check_clobber(other, ins, 3, &err) == ZS_OK,
          "another file with the same contents is no clash");
    CHECK(zs_file_check_clobber(in, ins, 3, &err) == ZS_EINPUT, "the input itself: ZS_EINPUT");
    char want[512];
    snprintf(want, sizeof want, "%s is also an input (SC's points.file); choose another output",
             in);
    CHECK(strcmp(err.msg, want) == 0, "... message names the output and what it is (%s)", err.msg);
    CHECK(zs_file_check_clobber(sym, ins, 3, &err) == ZS_EINPUT, "a symlink to the input: refused");
    CHECK(zs_file_check_clobber(hard, ins, 3, &err) == ZS_EINPUT, "a hard link to the input: refused");
    CHECK(zs_file_check_clobber(in, ins, 2, &err) == ZS_OK, "NULL and empty inputs are skipped");
    CHECK(zs_file_check_clobber(NULL, ins, 3, &err) == ZS_OK, "no output: ZS_OK");

    CHECK(zs_file_check_input(dir, &err) == ZS_EINPUT && strstr(err.msg, "is a directory"),
          "a directory as an input: ZS_EINPUT 'is a directory'");
    CHECK(zs_file_check_input(in, &err) == ZS_OK, "a plain file as an input: ZS_OK");
    CHECK(zs_file_prepare_output(dir, &err) == ZS_EINPUT, "a directory as an output: ZS_EINPUT");

    unlink(in);
    unlink(other);
    unlink(sym);
    unlink(hard);
    rmdir(dir);
    return zs_test_done();
}
