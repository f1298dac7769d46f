"""Head office's web console over the central store (`tillstone hq serve`)."""
