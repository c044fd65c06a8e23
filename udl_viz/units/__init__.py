"""What a unit has learned: receptive fields, image collections, the top-k index and its disk
cache, exporting patches, and feature visualization."""
