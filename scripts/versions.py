"""Print the versions of Python and of the packages whose versions change results, on one line."""

import platform
from importlib.metadata import version

PACKAGES = ("pandas", "numpy", "openpyxl", "xlwings", "python-calamine")

print(f"Python {platform.python_version()}, " + ", ".join(f"{name} {version(name)}" for name in PACKAGES))
