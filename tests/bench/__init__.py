"""`make bench` (`python -m tests.bench`): how soon the window works, and with how many bytes, against a stock
PyScript page in the same run. It prints figures and never asserts on wall time."""
