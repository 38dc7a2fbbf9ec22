"""Figures and tables by topic. Views take results and never compute a model;
figures accept ``ax=``.
"""
