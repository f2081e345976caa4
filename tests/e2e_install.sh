#!/usr/bin/env bash
# End-to-end test of `make install` and `make uninstall` into a temporary
# PREFIX: the installed binary runs, the man page renders without warnings,
# the scenarios and notebooks are there, the bash completion parses and
# completes `zonesim par` to `partition`; uninstall leaves no file behind;
# DESTDIR stages everything under DESTDIR/PREFIX.  make uses BUILD=$ZS_BUILD,
# so it installs the binary under test and builds nothing elsewhere.
set -u
cd "$(dirname "$0")/.."
: "${ZS_BUILD:?}"
T=${ZS_TMP:-$(mktemp -d)}/e2e_install; rm -rf "$T"; mkdir -p "$T"
P=$T/p
MK=(make --no-print-directory -s BUILD="$ZS_BUILD")

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }

# --- install ------------------------------------------------------------------
"${MK[@]}" install PREFIX="$P" >"$T/install.out" 2>&1
check "make install PREFIX=... exits 0" test $? -eq 0
check "the binary is installed executable" test -x "$P/bin/zonesim"
"$P/bin/zonesim" --version >"$T/version.out" 2>&1; rc=$?
check "the installed zonesim --version works" \
    bash -c "test $rc -eq 0 && grep -q '^zonesim ' '$T/version.out'"
M=$P/share/man/man1/zonesim.1
check "the man page is installed" test -f "$M"
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$M" >"$T/groff.err" 2>&1; rc=$?
    check "groff renders the man page without warnings" \
        bash -c "test $rc -eq 0 && ! test -s '$T/groff.err'"
else
    fail "groff is not installed (Debian package groff-base)"
fi
if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$M" 2>"$T/man.err" >"$T/man.out"
    check "man -l renders the man page without messages" \
        bash -c "! test -s '$T/man.err' && grep -q 'EXIT STATUS' '$T/man.out'"
    missing=""
    for c in run demo generate inspect keys calibrate partition export compare merge staff report service calibrate-calls; do
        grep -q "zonesim $c" "$T/man.out" || missing="$missing $c"
    done
    check "the man page's synopsis names every command${missing:+ (missing:$missing)}" \
        test -z "$missing"
else
    fail "man is not installed (Debian package man-db)"
fi
S=$P/share/zonesim
check "scenarios are installed (demo.yaml, README.md, slurm-array.sh)" \
    test -f "$S/scenarios/demo.yaml" -a -f "$S/scenarios/README.md" -a -x "$S/scenarios/slurm-array.sh"
check "scenarios/tests is not installed" test ! -e "$S/scenarios/tests"
n_nb=$(ls notebooks/*.ipynb | wc -l)
check "all $n_nb notebooks and their README are installed" \
    bash -c "test \$(ls '$S'/notebooks/*.ipynb | wc -l) -eq $n_nb && test -f '$S/notebooks/README.md'"
C=$P/share/bash-completion/completions/zonesim
check "the bash completion is valid bash" bash -n "$C"
out=$(bash -c 'source "$1"; COMP_WORDS=(zonesim par); COMP_CWORD=1; _zonesim; echo "${COMPREPLY[*]}"' _ "$C")
check "the completion completes 'zonesim par' to 'partition' (got '$out')" test "$out" = partition
out=$(bash -c 'source "$1"; COMP_WORDS=(zonesim run --che); COMP_CWORD=2; _zonesim; echo "${COMPREPLY[*]}"' _ "$C")
check "the completion completes 'zonesim run --che' to '--checkpoint-every' (got '$out')" \
    test "$out" = --checkpoint-every

# --- uninstall ----------------------------------------------------------------
"${MK[@]}" uninstall PREFIX="$P" >"$T/uninstall.out" 2>&1
check "make uninstall exits 0" test $? -eq 0
left=$(find "$P" ! -type d | head -5)
check "uninstall leaves no files behind${left:+ ($left)}" test -z "$left"
check "uninstall removes the share/zonesim folders" test ! -e "$S"

# --- DESTDIR staging ----------------------------------------------------------
"${MK[@]}" install DESTDIR="$T/stage" PREFIX=/usr >"$T/stage.out" 2>&1
check "make install DESTDIR=... PREFIX=/usr exits 0" test $? -eq 0
check "DESTDIR: the binary and man page are under DESTDIR/usr" \
    test -x "$T/stage/usr/bin/zonesim" -a -f "$T/stage/usr/share/man/man1/zonesim.1"
outside=$(find "$T/stage" ! -type d ! -path "$T/stage/usr/*" | head -5)
check "DESTDIR: nothing outside DESTDIR/usr${outside:+ ($outside)}" test -z "$outside"
"${MK[@]}" uninstall DESTDIR="$T/stage" PREFIX=/usr >/dev/null 2>&1
check "DESTDIR: uninstall leaves no files behind" \
    bash -c "test -z \"\$(find '$T/stage' ! -type d)\""
