"""E-mail: the outbox sender (sender.py), through SMTP_URL."""
