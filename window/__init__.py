"""The consumer chat window: a typed LivePerson legacy-chat client that runs in the page (Pyodide) and under CPython."""
