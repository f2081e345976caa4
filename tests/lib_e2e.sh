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
