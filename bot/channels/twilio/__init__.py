"""Twilio: SMS and WhatsApp (inbound.py, sender.py) and voice calls (voice.py), with their TwiML and helpers. Only
this package imports the twilio library."""
