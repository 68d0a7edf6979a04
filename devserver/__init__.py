"""The window's dev server: the brand's web host for the window, and `python -m devserver` (`make run`), which
starts it beside the LivePerson sandbox."""
