"""Telegram: the webhook (inbound.py), the outbox sender (sender.py), the Bot API reply (send.py), parsing and the
CLI operations. Only this package imports the telegram library."""
