"""What derive knows, one entry per thing: the functions and activations (``functions``),
the losses (``losses``) and the choices of the options (``choices``). Every stage reads
them from here; the spec checks, the command line's choices, the starter spec's comments,
the page's printing and the scripts' code all come from the same entry."""
