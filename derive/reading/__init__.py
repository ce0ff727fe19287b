"""Stage 1, reading: a spec (TOML text, a file, a dict, or a spec built in Python) checked
key by key into plain records, its expressions parsed safely into SymPy, its names held to
one grammar. Nothing here knows of graphs, derivatives or outputs."""
