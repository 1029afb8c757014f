"""The command line. Importing it sets the cyclic collector's threshold for the whole run (see below)."""

import gc

# A run lives a fraction of a second, and its imports and reads make hundreds of thousands of objects, nearly none
# in cycles: at the default threshold the cyclic collector walks them over and over (~10 ms of a warm report). It
# still runs every 100,000 allocations, so a long command that does make cycles stays bounded in memory.
gc.set_threshold(100_000, 20, 20)
