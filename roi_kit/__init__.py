"""crm-roi-kit: was our CRM worth it?

A small package behind the kit's notebooks: baseline/after comparisons, benefits in
money, total cost of ownership, and the ROI math (every common definition, NPV, IRR,
payback, risk adjustment, sensitivity, Monte Carlo).
"""

from roi_kit.errors import RoiKitError

__all__ = ["RoiKitError", "__version__"]

__version__ = "0.1.0"
