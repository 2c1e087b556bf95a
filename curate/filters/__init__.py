"""Filter steps: the recipe's `filter:` list, run in order over the translated, scored pool.

Each step is one class (curate/filters/steps/*.py) registered by name in `registry.STEPS`; the
chain (chain.py) runs a list of them, keeps every score as a column and writes each dropped record
with the step and reason to `dropped.jsonl`. See docs/curate.md ("Filter steps").
"""
