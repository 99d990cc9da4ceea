"""One module per page; each exposes `render(view)` and holds UI only."""
