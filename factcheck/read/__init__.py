"""Reading: discover and decode documents, boilerplate, sentence segmentation, sidecars, directives."""
