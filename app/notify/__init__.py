"""Outgoing notifications (e-mail over SMTP) through a persistent queue."""
