"""Translation backends (Google v2/v3, local transformers models, replay memory) behind one interface."""
