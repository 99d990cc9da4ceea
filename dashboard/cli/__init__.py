"""The command line (`python -m dashboard`) and the synthetic dataset generator.

Layer rule: may import every layer except `dashboard.app` (no Streamlit).
"""

from dashboard.cli.commands import main

__all__ = ["main"]
