"""The lesson kit's worksheets as PDF, made from their sources with figures the model draws.

``python -m simulation.demo.lesson`` (or ``make lesson``) builds the class demo's model for the
three crises at the page's default settings, draws the network of each as the page opens on it
(the leak an hour before the burst, the floods as the first one strikes) in each language, and
sets ``docs/lesson/worksheet.<language>.md`` into ``worksheet.<language>.pdf`` beside it. The
figures show the towns and their ties, not what the questions ask: the worksheet's answers are
on the page, and in the teacher's answer key (``docs/lesson/answer-key.<language>.md``). The sources use a small part of Markdown: ``#`` and ``##`` headings, paragraphs,
``- `` items, numbered questions, ``**bold**``, ``![caption](figure)`` and a line of
underscores for room to write.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import matplotlib
from fpdf import FPDF

from simulation.demo.classroom import ClassroomModel, ClassroomSettings
from simulation.demo.figures import network_figure
from simulation.demo.texts import TEXT

LESSON = Path(__file__).resolve().parents[2] / "docs" / "lesson"
LANGUAGES = ("en", "nl")
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu ships with matplotlib
WRITING_LINES = 3  # ruled lines under each question
IMAGE = re.compile(r"!\[(?P<caption>[^\]]*)\]\((?P<name>[^)]+)\)")
ITALIC = re.compile(r"(?<!\*)\*(?!\*)([^*]+)\*")  # *words*, which fpdf2's markdown writes __words__
IMAGE_WIDTH = 0.75  # of the text's width: two figures and their questions fit a page


# The worksheet's figures: name, scenario, the day the run stops (0: as the page opens on it), and what is
# drawn of it. Each shows the towns before anything is answered: the leak's an hour before the burst, the
# floods' as the first one strikes (no figure of recovery times, damage per flood or transformations, which
# the questions ask pupils to read from the page).
def network(model: ClassroomModel, text: dict, language: str):
    """The page's network figure (it needs no language beyond its words)."""
    return network_figure(model, text)


FIGURES = (
    ("flooding-network", "flooding", 0.0, network),
    ("leak-network", "leak", 0.0, network),
    ("sea-level-rise-network", "sea_level_rise", 0.0, network),
)


def draw_figures(out: Path, households: int) -> list[Path]:
    """Build each crisis as the page does (run to ``until_day``) and save its worksheet figure in every language."""
    made = []
    for name, scenario, until_day, draw in FIGURES:
        model = ClassroomModel(ClassroomSettings(scenario=scenario, households=households))
        while model.running and model.day < until_day:
            model.step()
        for language in LANGUAGES:
            path = out / f"{name}.{language}.png"
            path.write_bytes(draw(model, TEXT[language], language).png())
            made.append(path)
    return made


class Worksheet(FPDF):
    """An A4 page with DejaVu type (every Dutch letter, dashes and quotes)."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf")):
            self.add_font("DejaVu", style, str(FONTS / file))
        self.add_page()

    def paragraph(self, line: str, size: float = 10.5, style: str = "") -> None:
        self.set_font("DejaVu", style, size)
        line = ITALIC.sub(r"__\1__", line)
        self.multi_cell(0, size * 0.55, line, markdown=True, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def writing_lines(self) -> None:
        self.set_draw_color(170, 170, 170)
        for _ in range(WRITING_LINES):
            self.ln(7)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def figure(self, path: Path, caption: str) -> None:
        width = IMAGE_WIDTH * (self.w - self.l_margin - self.r_margin)
        self.image(str(path), x=(self.w - width) / 2, w=width)
        self.paragraph(caption, size=9, style="I")


def typeset(source: Path, figures: Path, target: Path) -> None:
    """Set one worksheet's source into a PDF."""
    pdf = Worksheet()
    for line in source.read_text(encoding="utf-8").splitlines():
        line = line.rstrip()
        if not line:
            pdf.ln(1)
        elif line.startswith("# "):
            pdf.paragraph(line[2:], size=16, style="B")
        elif line.startswith("## "):
            pdf.ln(2)
            pdf.paragraph(line[3:], size=12.5, style="B")
        elif set(line) == {"_"}:
            pdf.writing_lines()
        elif found := IMAGE.fullmatch(line):
            pdf.figure(figures / found["name"], found["caption"])
        elif line.startswith("- "):
            pdf.paragraph(f"•  {line[2:]}")
        else:
            pdf.paragraph(line)
    pdf.output(str(target))


def build(lesson: Path = LESSON, households: int = ClassroomSettings.households) -> list[Path]:
    """Draw the figures and set every worksheet of ``lesson``; return the PDFs written."""
    figures = lesson / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    draw_figures(figures, households)
    written = []
    for language in LANGUAGES:
        target = lesson / f"worksheet.{language}.pdf"
        typeset(lesson / f"worksheet.{language}.md", figures, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m simulation.demo.lesson``."""
    parser = argparse.ArgumentParser(prog="python -m simulation.demo.lesson", description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", type=Path, default=LESSON, help=f"the lesson kit's folder (default {LESSON})")
    args = parser.parse_args(argv)
    for path in build(args.lesson):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
