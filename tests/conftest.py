# The xlwings_*.py helpers run in a subprocess with an xlwings license key set; importing
# them here (for doctests) would fail without one.
collect_ignore_glob = ["xlwings_*.py"]
