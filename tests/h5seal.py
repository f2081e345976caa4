#!/usr/bin/env python3
"""Rewrites zonesim's checksum record (engine/results/h5seal.c) of HDF5
files that a test changed on purpose with h5py, so that zonesim reads the
change instead of refusing the file as damaged:

    python3 tests/h5seal.py FILE...

The record sits in the file's 512-byte user block: "zonesim checked
file", the format, the file's length and the SHA-256 of every byte after
the user block, NUL-padded.  A file without a user block cannot be sealed
(exit 2).  Tests only: it makes a hand-edited file look written by zonesim.
"""
import hashlib
import os
import sys

UB = 512


def seal(path):
    with open(path, "r+b") as f:
        head = f.read(UB + 8)
        if len(head) < UB + 8 or head[UB:UB + 8] != b"\x89HDF\r\n\x1a\n":
            sys.exit("%s: no 512-byte user block before the HDF5 signature" % path)
        f.seek(UB)
        h = hashlib.sha256()
        n = 0
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
            n += len(b)
        rec = ("zonesim checked file\nformat 1\nlength %d\nsha256 %s\n"
               % (n + UB, h.hexdigest())).encode()
        f.seek(0)
        f.write(rec + b"\0" * (UB - len(rec)))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        seal(p)
