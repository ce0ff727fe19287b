"""PNG pictures: drawn by resvg from the same SVG, linked from the Markdown page, and every
glyph really drawn (Hangul included: no empty box where a Korean word should be)."""

import re
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import derive
from derive.cli import main
from derive.errors import OptionError, RenderError
from derive.output import raster, render

ROOT = Path(__file__).resolve().parent.parent
XOR = ROOT / "examples" / "seed002_xor_network.toml"
NEURON = ROOT / "examples" / "neuron_ten_steps.toml"


def pixels(png):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG, decoded here so
    the test does not trust the renderer's own reading of its output."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, [], None
    while at < len(png):
        size, kind = struct.unpack(">I4s", png[at:at + 8])
        data = png[at + 8:at + 8 + size]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            chunks.append(data)
        at += 12 + size
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(b"".join(chunks)), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                near = min((abs(p - left), left), (abs(p - up), up), (abs(p - corner), corner), key=lambda t: t[0])
                line[i] = (line[i] + near[1]) & 255
        rows.append([tuple(line[x * step:x * step + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def ink(rows):
    """The number of pixels that are not white."""
    return sum(1 for row in rows for p in row if p != (255, 255, 255))


def test_solve_writes_png_pictures_beside_the_page_and_links_them(tmp_path):
    page = tmp_path / "xor.md"
    result = CliRunner().invoke(main, ["solve", str(XOR), "--lang", "ko", "--flavor", "katex",
                                       "--pictures", "png", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xor.md", "xor.network.png"]
    text = page.read_text(encoding="utf-8")
    assert "![주어진 가중치와 샘플 1의 순전파 값을 나타낸 신경망.](xor.network.png)" in text
    assert ".svg" not in text
    # twice the SVG's size, on white
    svg = render.svg(render.pictures(derive.solve(XOR), derive.Options(lang="ko"))["picture"])
    width, height, rows = pixels((tmp_path / "xor.network.png").read_bytes())
    assert (width, height) == (2 * 682, 2 * 324) and 'viewBox="0 0 682 324"' in svg
    assert rows[0][0] == (255, 255, 255) and 10_000 < ink(rows) < width * height // 4


def test_every_flavour_links_its_pictures_katex_too(tmp_path):
    for flavor in ("github", "katex", "kramdown", "mathjax"):
        page = tmp_path / f"{flavor}.md"
        result = CliRunner().invoke(main, ["solve", str(NEURON), "--flavor", flavor, "-o", str(page)])
        assert result.exit_code == 0, result.output
        text = page.read_text(encoding="utf-8")
        assert f"]({flavor}.network.svg)" in text and f"]({flavor}.loss.svg)" in text
        assert (tmp_path / f"{flavor}.loss.svg").read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize("args, message", [
    (["--pictures", "png"], "Error: --pictures png writes PNG files beside the page: give -o FILE.md"),
    (["--pictures", "png", "-f", "html"], "Error: --pictures png writes PNG files beside a Markdown page (-f md) "
                                          "or into a Word document (-f docx); -f html draws its pictures itself (give --pictures svg or none)"),
])
def test_png_without_a_markdown_file_is_one_line(args, message):
    result = CliRunner().invoke(main, ["solve", str(XOR), *args])
    assert result.exit_code == 2 and result.output.strip() == message


def test_no_pictures_leaves_them_out_of_every_page(tmp_path):
    solution = derive.solve(NEURON)
    assert "<svg" not in solution.to_html(pictures="none") and "<svg" in solution.to_html()
    assert "tikzpicture" not in solution.to_latex(pictures="none") and "tikzpicture" in solution.to_latex()
    assert "<svg" not in solution.to_markdown(flavor="kramdown", pictures="none")
    result = CliRunner().invoke(main, ["solve", str(NEURON), "--pictures", "none", "-o", str(tmp_path / "a.md")])
    assert result.exit_code == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    assert "![" not in (tmp_path / "a.md").read_text(encoding="utf-8")


def test_the_api_asks_for_a_file_name_before_linking_png():
    with pytest.raises(OptionError, match="'png' links PNG files beside the page"):
        derive.solve(NEURON).to_markdown(pictures="png")


def test_hangul_is_drawn_not_left_out_or_boxed():
    """The Korean loss curve's axis words, drawn three ways: as they are, with every Hangul
    syllable replaced by an unassigned character (the box a missing glyph gets), and with
    them removed. Real glyphs differ from both, and put more ink on the page than boxes do
    not: the three pictures differ where the words are."""
    svg = render.svg(render.pictures(derive.solve(NEURON), derive.Options(lang="ko"))["curve"])
    hangul = {c for c in raster._characters(svg) if "\uac00" <= c <= "\ud7a3"}
    assert {"손", "실", "업", "데", "이", "트", "횟", "수"} <= hangul
    boxed, bare = svg, svg
    for c in hangul:
        boxed, bare = boxed.replace(c, "\u0378"), bare.replace(c, "")
    drawn = [pixels(raster.png(svg))[2]]
    import resvg_py

    for other in (boxed, bare):
        drawn.append(pixels(bytes(resvg_py.svg_to_bytes(svg_string=other, zoom=raster.ZOOM, background="#ffffff")))[2])
    real, box, none = (ink(rows) for rows in drawn)
    assert drawn[0] != drawn[1] and drawn[0] != drawn[2]
    assert real > none and real != box


def test_a_character_no_font_draws_is_an_error_not_a_hole():
    assert raster._drawn("가") and raster._drawn("−") and raster._drawn("σ")
    assert not raster._drawn("\u0378") and not raster._drawn("\U000f0000")
    with pytest.raises(RenderError, match=re.escape("no installed font draws '\\U000f0000' (U+F0000); install one")):
        raster.png('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>\U000f0000</text></svg>')


def test_every_korean_and_english_picture_draws_every_character():
    for example in sorted((ROOT / "examples").glob("*.toml")):
        solution = derive.solve(example)
        for lang in ("en", "ko"):
            for picture in render.pictures(solution, derive.Options(lang=lang)).values():
                if picture is not None:
                    text = render.svg(picture)
                    assert all(raster._drawn(c) for c in raster._characters(text)), (example.name, lang)
