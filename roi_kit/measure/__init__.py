"""KPI changes with intervals: naive, counterfactual, difference-in-differences, placebo;
adoption. Imports ``case`` and ``io``, never ``money``.
"""
