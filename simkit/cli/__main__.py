"""``python -m simkit.cli`` is the ``simkit`` command."""

from simkit.cli import main

main(prog_name="simkit")
