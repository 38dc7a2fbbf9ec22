"""Reading and writing user files: text decoding, numbers and months, tables, atomic
writes, CRM exports.

The only layer that opens a user's file.
"""
