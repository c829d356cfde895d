"""The verbs: one `Verb` object per verb, grouped by family, collected in `registry`.

Kept empty so that `names`, which the simulation reads, loads without the handlers.
"""
