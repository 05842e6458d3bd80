"""``python -m gusp_cli``: same as the ``gusp`` command."""

from gusp_cli.cli.app import main

if __name__ == "__main__":
    main()
