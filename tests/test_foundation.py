"""Stage 0, foundation: the records every stage shares. The options record, the registries
(derive/registry/) and the languages (derive/languages/) hold each fact once; the command
line and the spec checks read them rather than keeping lists of their own."""

import string

import click
import pytest

from derive import cli
from derive.languages import CODES, LANGUAGES, packages, preamble, text
from derive.options import NAMES, Options
from derive.reading import spec
from derive.registry.choices import FLAVORS, FORMATS, STYLES
from derive.registry.functions import ACTIVATIONS, FUNCTIONS
from derive.registry.losses import LOSSES


def fields(template):
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_language_has_every_word_with_the_same_fields():
    english = LANGUAGES["en"].words
    for code, language in LANGUAGES.items():
        assert set(language.words) == set(english), code
        for key, words in language.words.items():
            assert fields(words) == fields(english[key]), (code, key)
            assert words.strip() == words and words, (code, key)


def test_a_language_record_is_complete():
    assert CODES == ("en", "ko")
    ko = LANGUAGES["ko"]
    assert ko.preamble[0] == r"\usepackage{kotex}" and ko.packages == ("texlive-lang-korean", "fonts-nanum")
    assert ko.script("손실") and not ko.script("loss")
    assert preamble("en") == () and preamble("en", "한국어 제목") == ko.preamble  # a Korean title keeps its glyphs
    assert packages() == ("texlive-lang-korean", "fonts-nanum")
    assert text("en", "loss_down", before="0.5", after="0.3") == "The loss falls from 0.5 to 0.3."


def test_the_command_line_offers_the_registries_choices():
    def choices(command, option):
        found = next(p for p in cli.main.commands[command].params if p.name == option)
        assert isinstance(found.type, click.Choice)
        return tuple(found.type.choices)

    assert choices("solve", "style") == STYLES
    assert choices("solve", "flavor") == FLAVORS
    assert choices("solve", "fmt") == FORMATS
    assert choices("solve", "lang") == CODES
    assert next(p for p in cli.main.commands["solve"].params if p.name == "digits").default == Options().digits


def test_the_spec_checks_read_the_registries():
    assert spec.ACTIVATIONS == tuple(ACTIVATIONS) and spec.LOSSES == tuple(LOSSES)
    assert "softplus" in ACTIVATIONS and "softplus" in FUNCTIONS


def test_every_activation_names_a_function_entry():
    for activation in ACTIVATIONS.values():
        assert activation.function in ("", *FUNCTIONS), activation.name


def test_options_fields_are_the_ones_the_docs_name():
    assert NAMES == ("digits", "lang", "flavor", "style", "carry_rounded", "full", "log", "definitions", "pictures",
                     "heading_base", "front_matter", "date", "tags")


@pytest.mark.parametrize("entry", list(FUNCTIONS.values()), ids=list(FUNCTIONS))
def test_every_function_entry_is_whole(entry):
    assert entry.arity in (1, 2) and entry.formula and entry.derivative
    for name, source in (entry.numpy, entry.torch):
        assert name.replace(".", "_").isidentifier()
        if source is not None:  # a function of its own: its def names it
            assert source.startswith(f"def {name}(")
