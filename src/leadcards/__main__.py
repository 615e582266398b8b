"""Allow ``python -m leadcards``."""

from leadcards.cli import main

main()
