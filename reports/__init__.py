from . import library_xlsx
