"""The paper's Table-4 human evaluation: Best-Worst Scaling tuples, an annotation page, and the scores."""
