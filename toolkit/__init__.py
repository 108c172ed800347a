"""duban (督办): monthly progress returns for a multi-department action plan.

Library first: every ``duban`` command wraps one public function. Importing this package
is cheap; heavy libraries (pandas, openpyxl, docxtpl) load in the modules that use them.
"""

__version__ = "0.1.0"
