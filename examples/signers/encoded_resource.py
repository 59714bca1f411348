#!/usr/bin/env python3
"""A buggy signer with two classic V1 mistakes (oss-signing.md §2.5, §10):
it percent-encodes the object key in the CanonicalizedResource (the server signs
the raw, decoded key), and it writes `acl=` for a sub-resource with an empty
value (the server writes the bare name `acl`). `sigdiff fuzz` names both:

    sigdiff fuzz --signer "python3 examples/signers/encoded_resource.py"
"""
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the examples
import correct  # noqa: E402

correct.resource_key = lambda key: correct.enc(key).replace("%2F", "/")  # bug 1
correct.subresource = lambda name, value: name if value is None else "%s=%s" % (name, value)  # bug 2

if __name__ == "__main__":
    correct.main()
