"""LaTeX output: user text is escaped, generated math is not, and the standalone
document compiles with XeLaTeX (Korean through kotex and the Nanum fonts)."""

import pytest

import derive
from conftest import ROOT, pdf_text, require_tex
from derive.output import pdf
from derive.output import safety

HOSTILE = r"100% \input{/etc/hostname} ^^5cinput{/etc/passwd} $x$ & #1 _a ~b {c}"


def hostile_spec(spec_file):
    return spec_file(f"title = '''{HOSTILE}'''\n"
                     '[graph]\nequations = ["q = x + y", "f = q * z"]\nvalues = { x = -2, y = 5, z = -4 }\n')


def test_user_text_is_escaped_and_math_is_not(spec_file):
    text = derive.solve(hostile_spec(spec_file)).to_latex(lang="en")
    escaped = (r"100\% \textbackslash{}input\{/etc/hostname\} \textasciicircum{}\textasciicircum{}5cinput\{/etc/passwd\} "
               r"\$x\$ \& \#1 \_a \textasciitilde{}b \{c\}")
    assert rf"\section*{{{escaped}}}" in text
    assert r"\input{" not in text and "^^5c" not in text
    assert r"f &= q z = 3.000 \cdot \left(-4\right) = -12.00" in text


def test_escape_every_special():
    assert safety.escape_latex("\\{}$&#_%^~") == (r"\textbackslash{}\{\}\$\&\#\_\%\textasciicircum{}"
                                                   r"\textasciitilde{}")


def test_body_is_a_fragment():
    body = derive.solve(ROOT / "examples" / "seed004_221_network.toml").to("tex-body", lang="en")
    assert r"\documentclass" not in body and r"\begin{document}" not in body
    assert body.startswith("\\providecommand{\\Needspace}[1]{}\n\\Needspace{6\\baselineskip}\n"
                           "\\subsection*{Given values}")
    assert r"{w_{1}}' &= w_{1} - \eta \cdot \frac{\partial L}{\partial w_{1}} = 0.3 - 0.1 \cdot \left(-0.02032\right) = 0.3020 \\" in body


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_standalone_document_compiles(lang):
    require_tex()
    solution = derive.solve(ROOT / "examples" / "seed004_221_network.toml")
    text = pdf_text(pdf.compile_tex(solution.to_latex(lang=lang)))
    assert "2-2-1 신경망, 한 단계" in text
    words = {"en": ["Given values", "Forward pass", "Backward pass: gradients by the chain rule", "learning rate", "Gradient-descent update"],
             "ko": ["주어진 값", "순전파", "역전파: 연쇄 법칙으로 기울기 계산", "학습률", "가중치 업데이트"]}[lang]
    for word in words:
        assert word in text
    for number in ["0.5523", "0.04219", "−0.02032", "0.3020", "0.5198"]:
        assert number in text


def test_hostile_title_prints_literally(spec_file):
    require_tex()
    text = pdf_text(pdf.compile_tex(derive.solve(hostile_spec(spec_file)).to_latex(lang="en")))
    assert HOSTILE in " ".join(text.split())
    assert "root:" not in text
