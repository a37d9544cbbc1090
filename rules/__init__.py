"""The rules: the bottom floor of the house, plain Python with no Django.

Expression language (`expressions`), calendar arithmetic (`dates`), the catalogue schema
(`schema`), the compiled catalogue the engine reads (`catalogue`), checking answers (`facts`)
and the screening engine (`engine`). Nothing here imports Django, `benefits`, `eligibility` or
`config`; those floors build on this one.
"""
