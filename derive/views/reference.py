"""What a spec may name, read from the registries: the starter spec's comments and the
reference table of docs/reference.md. A new activation, loss, function or language
appears in both by itself."""

from dataclasses import dataclass

from ..languages import CODES, LANGUAGES
from ..registry.functions import ACTIVATIONS, FUNCTIONS
from ..registry.losses import LOSSES


@dataclass(frozen=True)
class Row:
    name: str             # as a spec writes it
    what: str             # the formula
    note: str             # the derivative as the page prints it, or where it may be used


def words(lang="en"):
    """{"activations", "losses", "functions", "languages"}: each a plain string, its
    asides in ``lang``."""
    language = LANGUAGES[lang]
    activations = [a.name + "".join(" " + language.text("starter_option", option=key, default=default)
                                    for key, default in a.options)
                   + (" " + language.text("starter_last_only") if a.last_only else "") for a in ACTIVATIONS.values()]
    losses = [loss.name + (" " + language.text("starter_after_softmax") if loss.needs_softmax else "")
              for loss in LOSSES.values()]
    return {"activations": ", ".join(activations), "losses": ", ".join(losses),
            "functions": " ".join(FUNCTIONS), "languages": f" {language.text('starter_or')} ".join(CODES)}


def tables():
    """{"functions", "activations", "losses", "languages"}: tuples of Rows."""
    functions = tuple(Row(f.signature, _cell(f.formula), _cell(f.derivative)) for f in FUNCTIONS.values())
    activations = tuple(Row(a.name, a.formula, "; ".join(
        [f"{key} = {default} unless the layer sets it" for key, default in a.options]
        + (["the last layer only"] if a.last_only else []))) for a in ACTIVATIONS.values())
    losses = tuple(Row(loss.name, loss.formula, "after a softmax layer" if loss.needs_softmax else "")
                   for loss in LOSSES.values())
    languages = tuple(Row(code, language.name, " ".join(language.packages)) for code, language in LANGUAGES.items())
    return {"functions": functions, "activations": activations, "losses": losses, "languages": languages}


def _cell(words):
    # a bare | ends a Markdown table cell
    return words.replace("|", "\\|")
