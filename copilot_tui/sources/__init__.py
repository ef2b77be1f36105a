"""Where the app's data comes from: the live API through the local store, the store alone, report files opened
from disk, or the demo dataset.

The modules follow the flow, each importing only those before it: the snapshot and the contract
(:mod:`.snapshot`, :mod:`.contract`), the fetch planning (:mod:`.planning`), the sources (:mod:`.stored` with
:mod:`.offline` and :mod:`.live`; :mod:`.at_hand` with :mod:`.demo` and :mod:`.files`), and the factory that opens
one from the settings (:mod:`.factory`). Nothing is imported here, so importing one module loads only what it needs.
"""
