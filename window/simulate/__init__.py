"""A headless consumer simulator on the window's own protocol core (`python -m window.simulate`, docs/load.md).

CPython only: the page never imports it (it is not in pyscript.toml, and static/build_runtime.py leaves it out of the
page's stdlib closure). Each simulated consumer is the page's `ChatSession` on `ChatApi` over the httpx transport.
"""
