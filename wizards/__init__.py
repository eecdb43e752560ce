from . import library_member_suspend
from . import library_hold_place
from . import library_money_wizards
from . import library_hr_wizards
from . import library_fines_ledger
