"""Money: finance (every ROI definition, NPV, IRR, payback), benefit lines, the cost
schedule, intangibles, reference points. Imports ``case`` and ``io``, never ``measure``.
"""
