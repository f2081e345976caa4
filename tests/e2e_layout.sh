#!/usr/bin/env bash
# The code's layout rules (engine/README.md), checked on the sources and on
# the object files of this build: stage folders, includes one way, no
# include or call cycle, third-party headers in their one module, no source
# over 1,000 lines (tools/check_layout.py).
set -u
cd "$(dirname "$0")/.."
"${PYTHON:-/usr/bin/python3}" tools/check_layout.py "${ZS_BUILD:?}"
