import os
import sys

# Import ``rules`` as a top-level package: the repository root is an Odoo add-on whose
# __init__ needs Odoo, and the pure rules must not.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
