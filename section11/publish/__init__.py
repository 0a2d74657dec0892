"""Publishing the output files: git commit/push with archive snapshots, GitHub Issues, manifest."""
