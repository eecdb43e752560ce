from . import test_payroll_bridge
