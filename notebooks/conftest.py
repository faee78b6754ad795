"""nbval checks the notebooks' stored (English) outputs: a trainer's SIMKIT_LANG must not change them.

The kernels nbval starts inherit this process's environment, and each notebook's first cell calls
``ui.set_language()``, which reads SIMKIT_LANG.
"""

import os

os.environ.pop("SIMKIT_LANG", None)
