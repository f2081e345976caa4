# Shared by the end-to-end scripts that source it (not a test itself: run.sh
# runs tests/e2e_*.sh only).  One PASS:/FAIL: line per check.
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
# check DESC COMMAND...: PASS when the command succeeds.
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }
# check_exit DESC RC WANT_RC OUTPUT SUBSTRING: the exit status and a message.
check_exit() {
    if [ "$2" -eq "$3" ] && grep -qF -- "$5" <<<"$4"; then pass "$1"; else
        fail "$1"; echo "      rc $2, output: $4"; fi
}
# shared_data ROOT REL WHAT: succeeds when ROOT/data/REL exists.  A checkout
# without the shared directory (CI, a clone in /tmp) prints "SKIP: WHAT" and
# fails quietly, so the caller skips its block; when ROOT exists but the file
# does not, that is a FAIL (a moved data file must not pass as a skip).
# ROOT is ${ZS_SHARED:-../shared} for files the test names itself, and
# ../shared for a shipped scenario's data (its paths are relative to the
# scenario file, so ZS_SHARED cannot move them).
shared_data() {
    local f=$1/data/$2
    [ -e "$f" ] && return 0
    if [ -d "$1" ]; then fail "$3: $1 exists but $f is missing"
    else echo "SKIP: $3 (shared directory $1 absent)"; fi
    return 1
}
