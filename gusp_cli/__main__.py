"""``python -m gusp_cli``: same as the ``gusp`` command."""

from gusp_cli.cli.entry import main

if __name__ == "__main__":
    main()
