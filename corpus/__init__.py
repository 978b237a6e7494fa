"""mtreview's corpus layer: reading documents, sentence segmentation, encoders and alignment.

It knows nothing of glossaries or reports.
"""
