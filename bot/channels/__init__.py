"""Channel adapters: turn provider payloads into Inbound messages and Replies into provider output."""
