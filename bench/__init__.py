"""Coalition Atlas speed benchmark (issue 6): `.venv/bin/python -m bench [--quick]`."""
