"""Renderers: a view in, document bytes out (nothing here touches the disk)."""
