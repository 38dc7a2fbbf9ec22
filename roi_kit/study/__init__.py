"""The study: the one vectorised model, uncertainty (tornado, Monte Carlo, break-even),
the summary and the articles' worked examples.
"""
