"""duban (督办): monthly progress returns for a multi-department action plan.

Library first: every ``duban`` command wraps one public function. Importing this package
is cheap; heavy libraries (pandas, openpyxl, docxtpl) load in the modules that use them.
"""

__version__ = "0.1.0"

import logging as _logging

# The library logs to "duban"; without this, a message logged before the CLI has set up
# 日志/duban.log would reach Python's last-resort handler and be printed a second time.
_logging.getLogger("duban").addHandler(_logging.NullHandler())
