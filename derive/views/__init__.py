"""Stage 3, views: solution and check records turned into records of plain strings for a
template: the LaTeX printer, the worked solution's lines and sentences, the matrix form,
the pictures' layout, the worksheet, the check report, the scripts. Numbers are rounded
here and only here."""
