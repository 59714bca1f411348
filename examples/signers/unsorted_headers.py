#!/usr/bin/env python3
"""A buggy signer: the correct one (correct.py), except that it keeps the
x-oss- headers in the order the request gives them instead of sorting them
(oss-signing.md §2.4 step 3). `sigdiff fuzz` finds it and says so:

    sigdiff fuzz --signer "python3 examples/signers/unsorted_headers.py"
    ... The signer does not sort the signed headers ...
"""
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the examples
import correct  # noqa: E402

correct.sort_headers = lambda names: list(names)  # the bug: no sort

if __name__ == "__main__":
    correct.main()
