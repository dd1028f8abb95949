"""Analytics over many responses: instrument quality and archetypes.

Pure package: standard library, numpy, scipy and scikit-learn only; never the web or the
database. The service layer reads responses, builds arrays and stores the results.

Import from the modules, not from this package: it deliberately imports nothing, so that a
web request assigning a person (``assignment`` + ``model``, numpy only) does not load
scikit-learn and scipy.stats, which take seconds to import.

- ``psychometrics``: alpha (+ Feldt CI), omega, item-total r, alpha-if-deleted, ICC(1)/(1,k),
  and ``scale_quality`` for the psychometrics page;
- ``archetypes``: ``fit_archetypes`` (with ``clustering`` for model selection and
  ``prototypes`` below the minimum population); ``assign``/``assign_many`` re-exported;
- ``model``: the frozen, JSON-serialisable ``ArchetypeModel``;
- ``assignment``: ``assign``/``assign_many`` in pure numpy;
- ``naming``: names and descriptions from centroids; Hungarian label matching across refits.

Archetypes are descriptions of where profiles cluster, not types people belong to.
"""
