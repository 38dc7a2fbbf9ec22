"""The case: its types, ``case.yml`` parsing, loading, writing, the KPI catalogue, the
data-quality report and the sample case.
"""
