"""A turn's background jobs: which a turn needs (`planning`), and one module per kind of
job with the body that asks the model, validates its answer and emits what it tells."""
